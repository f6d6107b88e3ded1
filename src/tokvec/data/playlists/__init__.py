"""A sample of the Cornell "yes" radio playlists (see README.md here for the origin and terms)."""
