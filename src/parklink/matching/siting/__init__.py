"""Park siting (项目选址): the pure scoring of parks for a project (no Django)."""
