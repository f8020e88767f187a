"""Feed and page formats: plain rows in, bytes out. Never opens the database."""
