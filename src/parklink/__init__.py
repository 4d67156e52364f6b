"""ParkLink (园链): investment promotion and co-built park platform."""

__version__ = "0.1.0"
