"""EcoGov: the platform on which district and city governments run eco-environmental work."""

__version__ = "0.1.0"
