"""Sources: each turns one service's answers into frozen Paper values."""
