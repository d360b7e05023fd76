"""Documents made from a project through Jinja templates."""
