"""Server-rendered pages, dashboard and static assets."""
