"""What the bot does with each kind of Telegram update.

The handlers live on a small class so that the answerer and the question limit are passed in
once, at start-up, and tests can build handlers around a fake answerer without patching.

Which updates get a reply:
* new messages in any chat: /start, /help (also as /start@this_bot), text questions, and
  captions of photos, documents and other media, which are questions just as text is;
* new messages in private chats only: unknown commands, commands addressed to another bot
  (/start@other_bot) and media without a caption get a hint (in groups those are usually
  meant for people or for other bots, so the bot stays quiet);
* callback queries (button presses) are always answered, or the user's button keeps
  spinning; the bot sends no buttons of its own, so any press is a stale one;
* edited messages, channel posts and every other update type are ignored: re-answering an
  edit would repeat an answer the user already has, and a bot posting under every channel
  post would be noise.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence

from telegram import LinkPreviewOptions, Message, MessageEntity, ReplyParameters, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import Forbidden, InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.answers import Answering
from bot.delivery import may_have_been_delivered
from bot.telegram_text import clean_text, pack
from bot.templates import (
    HTML,
    PLAIN,
    caption_answered,
    command_for_another_bot,
    empty_question,
    help_text,
    internal_error,
    non_text_hint,
    question_trimmed,
    render_html,
    stale_button,
    unknown_command,
    welcome,
)

log = logging.getLogger(__name__)

NO_LINK_PREVIEW = LinkPreviewOptions(is_disabled=True)
EXAMPLE_COUNT = 3


def command_addressee(message: Message) -> str | None:
    """The bot a leading command names ("other_bot" in "/start@other_bot"), else None."""
    entity = next(iter(message.entities), None)
    if message.text is None or entity is None:
        return None
    if entity.type != MessageEntity.BOT_COMMAND or entity.offset != 0:
        return None
    _, at, addressee = message.parse_entity(entity).partition("@")
    return addressee if at else None


class _ForAnotherBot(filters.MessageFilter):
    """Commands written for some other bot: "/start@other_bot"."""

    def filter(self, message: Message) -> bool:
        addressee = command_addressee(message)
        if addressee is None:
            return False
        return addressee.lower() != (message.get_bot().username or "").lower()


_NEW_MESSAGE = filters.UpdateType.MESSAGE
_PRIVATE = filters.ChatType.PRIVATE
QUESTION = _NEW_MESSAGE & filters.TEXT & ~filters.COMMAND
CAPTION_QUESTION = _NEW_MESSAGE & filters.CAPTION & ~filters.TEXT
ANOTHER_BOTS_COMMAND = _NEW_MESSAGE & _PRIVATE & filters.COMMAND & _ForAnotherBot()
UNKNOWN_COMMAND = _NEW_MESSAGE & _PRIVATE & filters.COMMAND
# Service messages (pinned message, auto-delete timer, ...) are not something the user sent.
NON_TEXT = _NEW_MESSAGE & _PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL


def has_words(text: str) -> bool:
    """Whether there is anything to search for: emoji and punctuation alone match nothing."""
    return any(ch.isalnum() for ch in text)


def trim_question(question: str, limit: int) -> str:
    """The first ``limit`` characters, cut after a whole word when one ends in the second
    half, so the search does not get a word fragment that matches nothing."""
    if len(question) <= limit:
        return question
    head = question[:limit]
    if not question[limit].isspace():
        cut = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"))
        if cut * 2 >= limit:
            head = head[:cut]
    return head.rstrip()


class ChatHandlers:
    """Telegram handlers around one answerer."""

    def __init__(self, answerer: Answering, max_question_chars: int) -> None:
        self._answerer = answerer
        self._max_question_chars = max_question_chars

    def register(self, application: Application) -> None:
        """Adds the handlers in priority order: the first matching handler wins."""
        application.add_handler(CommandHandler("start", self.start, filters=_NEW_MESSAGE))
        application.add_handler(CommandHandler("help", self.help, filters=_NEW_MESSAGE))
        application.add_handler(MessageHandler(QUESTION, self.question))
        application.add_handler(MessageHandler(CAPTION_QUESTION, self.caption))
        application.add_handler(MessageHandler(ANOTHER_BOTS_COMMAND, self.another_bots_command))
        application.add_handler(MessageHandler(UNKNOWN_COMMAND, self.unknown_command))
        application.add_handler(MessageHandler(NON_TEXT, self.non_text))
        application.add_handler(CallbackQueryHandler(self.button))
        application.add_error_handler(self.on_error)

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        examples, count = await asyncio.to_thread(self._examples_and_count)
        await reply_html(update, [welcome(examples, count, HTML)])

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        examples, _ = await asyncio.to_thread(self._examples_and_count)
        await reply_html(update, [help_text(examples, HTML)])

    async def unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        text = message.text if message is not None and message.text else "/"
        examples, _ = await asyncio.to_thread(self._examples_and_count)
        await reply_html(update, [unknown_command(text, examples, HTML)])

    async def another_bots_command(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE
    ) -> None:
        """In a private chat only this bot reads the message, so the user probably copied a
        command meant for another bot: say whose it is and what this bot does instead."""
        message = update.effective_message
        text = message.text if message is not None and message.text else "/"
        examples, _ = await asyncio.to_thread(self._examples_and_count)
        reply = command_for_another_bot(text, context.bot.username or "", examples, HTML)
        await reply_html(update, [reply])

    async def non_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await reply_html(update, [non_text_hint(HTML)])

    async def question(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.text is None:
            return
        await self._answer(update, message, message.text, context.bot.username)

    async def caption(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A photo or file sent with a question as its caption: the bot cannot look at the
        attachment, but the caption is a question like any other. Without words to search
        for, the caption is no question and the media hint fits better."""
        message = update.effective_message
        if message is None or message.caption is None:
            return
        username = context.bot.username
        if not has_words(_without_mention(message.caption, username)):
            if message.chat.type == ChatType.PRIVATE:
                await reply_html(update, [non_text_hint(HTML)])
            return
        await self._answer(update, message, message.caption, username, caption_answered(HTML))

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answers every button press, since until answerCallbackQuery is called the
        user's client shows the button as loading. The bot sends no buttons, so whatever the
        data, the button belongs to an old message or another bot's keyboard."""
        query = update.callback_query
        if query is None:
            return
        try:
            await query.answer(text=stale_button(PLAIN))
        except TelegramError as e:
            log.warning("Could not answer a button press: %s", e)

    async def _answer(
        self,
        update: Update,
        message: Message,
        text: str,
        username: str | None,
        note: str | None = None,
    ) -> None:
        question = _without_mention(text, username).strip()
        trimmed = len(question) > self._max_question_chars
        if trimmed:
            question = trim_question(question, self._max_question_chars)
        if not has_words(question):
            await reply_html(update, [empty_question(HTML)])
            return
        await _show_typing(message)
        answer = await asyncio.to_thread(self._answerer.answer, question)
        blocks = render_html(answer)
        if trimmed:
            blocks = [question_trimmed(self._max_question_chars, HTML), *blocks]
        if note is not None:
            blocks = [note, *blocks]
        await reply_html(update, blocks)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Logs the failure and tells the user, without ever raising: an exception here would
        only be logged again by python-telegram-bot, and the user would hear nothing.

        No apology is sent when it could not arrive or would be wrong: the token was
        refused (the process is stopping), the user blocked the bot, or the failure was a
        reply Telegram may have delivered."""
        error = context.error
        if update is None and isinstance(error, NetworkError):
            # Polling hiccups: python-telegram-bot retries on its own.
            log.warning("Telegram is unreachable, retrying: %s", error)
            return
        if isinstance(error, InvalidToken):
            log.error("Telegram refused the bot token while handling an update")
            return
        if isinstance(error, Forbidden):
            log.info("Telegram refused a reply (the user may have blocked the bot): %s", error)
            return
        if error is not None and may_have_been_delivered(error):
            log.warning("A reply went unconfirmed; not apologising for it: %s", error)
            return
        where = f"update {update.update_id}" if isinstance(update, Update) else "background work"
        log.error("Failed while handling %s", where, exc_info=error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        try:
            await reply_html(update, [internal_error(HTML)])
        except Exception:
            log.exception("Could not tell the user about the failure either")

    def _examples_and_count(self) -> tuple[list[str], int]:
        return self._answerer.examples(EXAMPLE_COUNT), self._answerer.article_count


def _without_mention(text: str, username: str | None) -> str:
    """In groups people write "@news_bot who met whom?"; the bot's name is not the topic."""
    if not username:
        return text
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE)


async def _show_typing(message: Message) -> None:
    """The typing indicator is a courtesy: failing to show it must not cost the answer."""
    try:
        await message.reply_chat_action(ChatAction.TYPING)
    except TelegramError as e:
        log.debug("Could not show the typing indicator: %s", e)


async def reply_html(update: Update, blocks: Sequence[str]) -> None:
    """Sends the blocks as HTML, in as few messages as fit, the first one replying to the
    user's message so the answer stays next to its question in a busy chat. Without a
    message to reply to (a chat-only update) the text is simply sent to the chat."""
    message = update.effective_message
    chat = update.effective_chat
    for i, text in enumerate(pack([clean_text(block) for block in blocks])):
        try:
            if message is not None:
                first = i == 0
                await message.reply_text(
                    text,
                    parse_mode=ParseMode.HTML,
                    link_preview_options=NO_LINK_PREVIEW,
                    reply_parameters=(
                        ReplyParameters(message.message_id, allow_sending_without_reply=True)
                        if first
                        else None
                    ),
                    do_quote=None if first else False,
                )
            elif chat is not None:
                await chat.send_message(
                    text, parse_mode=ParseMode.HTML, link_preview_options=NO_LINK_PREVIEW
                )
        except TimedOut as e:
            # Sent, but no reply in time: Telegram has most likely delivered it, so it is
            # neither repeated nor apologised for (see bot.delivery); the rest still follows.
            if not may_have_been_delivered(e):
                raise
            log.warning("Telegram did not confirm a reply in time; taking it as delivered")
