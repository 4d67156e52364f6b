"""Financing matchmaking (银企对接): pure modules (no Django) for the lifecycle and the fit."""
