"""A local copy of the source site's shapes, for tests, ``finews demo`` and benchmarks.

- ``finews.demo.pages``: page templates (pure functions).
- ``finews.demo.build``: ``build_site(spec, root)`` writes a site folder and its truth file
  ``site.json``; ``load_truth(root)`` reads it back.
- ``finews.demo.server``: ``serve(DirectorySite(root))`` runs it on 127.0.0.1.

The packaged demo site lives in ``DEMO_SITE_ROOT``. Submodules are not imported here, so that
``python -m finews.demo.server`` and ``python -m finews.demo.build`` run cleanly.
"""

from pathlib import Path

DEMO_SITE_ROOT = Path(__file__).resolve().parent / "site"
