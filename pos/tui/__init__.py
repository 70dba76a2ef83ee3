"""The till's screens (Textual). The only package that imports textual; it calls the core and nothing else."""
