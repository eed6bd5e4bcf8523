def greet(name: str) -> str:
    """Returns a friendly greeting."""
    return f"Hello, {name}!"


if __name__ == "__main__":
    print(greet("Constellation"))
