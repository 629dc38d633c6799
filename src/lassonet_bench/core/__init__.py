"""The LassoNet math: Hier-Prox (`prox`), the network with its skip layer (`model`), networks trained side by side
(`stack`), the dense-to-sparse path with warm starts (`path`) and its settings (`settings`), the losses' Cox partial
likelihood (`survival`) and the torch device and threads (`devices`). Imports nothing of the package above it."""
