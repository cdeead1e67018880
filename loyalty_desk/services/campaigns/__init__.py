"""Campaign administration (operations with four-eyes approval) and the cost forecast."""
