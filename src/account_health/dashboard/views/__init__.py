"""One module per dashboard page; each has a `render()` that Streamlit's navigation calls."""
