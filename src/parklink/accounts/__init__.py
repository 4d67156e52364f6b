"""Organisations (tenants), users, roles and API tokens."""
