"""Enterprises, USCC validation and sites."""
