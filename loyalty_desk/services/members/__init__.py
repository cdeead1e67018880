"""Members: the member view and history, revealing an identity, and registering members from a file."""
