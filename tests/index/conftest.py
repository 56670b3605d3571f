import pytest

from index.embedder import Embedder, TokenCounter


@pytest.fixture(scope="session")
def embedder():
    e = Embedder()
    e.warm_up()
    return e


@pytest.fixture(scope="session")
def token_counter():
    return TokenCounter()
