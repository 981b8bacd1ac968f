"""The desktop client: the only package that imports PySide6. Screens call services on
the database worker and redraw from the results."""
