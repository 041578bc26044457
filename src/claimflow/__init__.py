"""claimflow: typed, attributed claims from official political statements."""

__version__ = "0.1.0"
