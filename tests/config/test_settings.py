from pathlib import Path

from config import Settings


def test_defaults_need_no_environment(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "ARTICLES_DIR", "TELEGRAM_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.telegram_bot_token is None
    assert settings.articles_dir == Path("seeds")
    assert settings.telegram_base_url == "https://api.telegram.org/bot"


def test_environment_and_dotenv_are_read_and_the_token_stays_hidden(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=123:secret\nARTICLES_DIR=/data/news\n")
    monkeypatch.setenv("TELEGRAM_BASE_URL", "http://127.0.0.1:8081/bot")
    settings = Settings()
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == "123:secret"
    assert settings.articles_dir == Path("/data/news")
    assert settings.telegram_base_url == "http://127.0.0.1:8081/bot"
    assert "secret" not in repr(settings) and "secret" not in str(settings)


def test_a_blank_token_means_console_mode(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "  ")
    assert Settings().telegram_bot_token is None


def test_the_example_env_file_lists_only_real_settings():
    example = Path(__file__).parents[2] / "config" / "example.env"
    names = [
        line.split("=", 1)[0].lower()
        for line in example.read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert names and set(names) <= set(Settings.model_fields)
