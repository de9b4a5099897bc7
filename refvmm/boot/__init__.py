"""Getting a guest started: firmware mapping lives on the Machine; loaders live here."""
