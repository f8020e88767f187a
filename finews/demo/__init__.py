"""Generated sites in the source site's shapes, for ``finews demo``, tests and benchmarks.

- ``finews.demo.pages``: page templates (pure functions).
- ``finews.demo.build``: ``build_site(spec, root)`` writes a site described by a ``SiteSpec``
  and its truth file ``site.json``; ``temporary_site(spec)`` does so for a ``with`` block.
- ``finews.demo.demo_data``: the spec of the demo site (``python -m finews.demo FOLDER``
  writes it).
- ``finews.demo.server``: ``serve(DirectorySite(root))`` runs a site folder on 127.0.0.1.

Submodules are not imported here, so that ``python -m finews.demo.server`` runs cleanly.
"""
