"""The positioning app's services: the registry's matrix and the figures computed on it."""
