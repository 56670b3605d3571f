import pytest

from index.embedder import TokenCounter


@pytest.fixture(scope="session")
def token_counter():
    return TokenCounter()
