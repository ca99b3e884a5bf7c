"""What the bot does with each kind of Telegram update.

The handlers live on a small class so that the answerer and the settings are passed in
once, at start-up, and tests can build handlers around a fake answerer without patching.

Which updates get a reply:
* every update first passes the operator's allowlists (``bot.access``): others get one
  polite refusal, when they address the bot, and nothing after;
* new messages in any chat: /start, /help, /ask, /new, /sources (also as /start@this_bot),
  and /stats and /reload for admins (for anyone else they are unknown commands);
* questions: in a private chat any text or caption; in a group only what is addressed to
  the bot (/ask, a mention of it, a reply to one of its messages), so chatter is left alone;
* new messages in private chats only: unknown commands, commands addressed to another bot
  (/start@other_bot) and media without a caption get a hint (in groups those are usually
  meant for people or for other bots, so the bot stays quiet);
* callback queries (button presses) are always answered, or the user's button keeps
  spinning; a press on an answer no longer kept, or with data that is not the bot's, gets
  "ask again";
* inline queries get up to five answers, or example questions for an empty query;
* edited messages, channel posts and every other update type are ignored: re-answering an
  edit would repeat an answer the user already has, and a bot posting under every channel
  post would be noise.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
import time
from collections.abc import Callable, Sequence
from typing import Any

from telegram import (
    CallbackQuery,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import buttons, followups
from bot.access import Access, Once, QuestionLimit, Verdict
from bot.answers import Answer, Answering
from bot.delivery import may_have_been_delivered
from bot.inline import answer_results, example_results
from bot.memory import AnswerMemory, ContextMemory
from bot.stats import Stats
from bot.telegram_text import clean_text, pack
from bot.templates import (
    HTML,
    PLAIN,
    answer_page,
    article_blocks,
    article_continues,
    article_gone,
    ask_usage,
    caption_answered,
    chat_help,
    command_for_another_bot,
    context_cleared,
    empty_question,
    internal_error,
    non_text_hint,
    not_allowed,
    question_trimmed,
    read_as,
    reload_busy,
    reload_done,
    slow_down,
    sources_text,
    stale_button,
    stats_text,
    unknown_command,
    welcome,
)
from config import Settings

log = logging.getLogger(__name__)

NO_LINK_PREVIEW = LinkPreviewOptions(is_disabled=True)
EXAMPLE_COUNT = 3
CONTEXTS_KEPT = 10_000
ARTICLE_MESSAGES = 4
"""A "Full article" press sends at most this many messages; a longer article says how
much is left rather than flood the chat."""
INLINE_CACHE_SECONDS = 30


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


def mentions_bot(message: Message) -> bool:
    """ "@news_bot who met whom?": the bot's name anywhere in the text or caption."""
    username = message.get_bot().username
    text = message.text or message.caption or ""
    return bool(username) and re.search(rf"@{re.escape(username)}\b", text, re.I) is not None


def replies_to_bot(message: Message) -> bool:
    replied = message.reply_to_message
    sender = replied.from_user if replied is not None else None
    return sender is not None and sender.id == message.get_bot().id


def is_addressed(message: Message) -> bool:
    """Messages meant for the bot: in a private chat all of them; in a group a mention of
    the bot or a reply to one of its messages."""
    if message.chat.type == ChatType.PRIVATE:
        return True
    return mentions_bot(message) or replies_to_bot(message)


def _is_own_command(message: Message) -> bool:
    """A command for this bot: "/start", "/start@this_bot", not "/start@other_bot"."""
    if not any(e.type == MessageEntity.BOT_COMMAND and e.offset == 0 for e in message.entities):
        return False
    addressee = command_addressee(message)
    return addressee is None or addressee.lower() == (message.get_bot().username or "").lower()


class _Addressed(filters.MessageFilter):
    def filter(self, message: Message) -> bool:
        return is_addressed(message)


_NEW_MESSAGE = filters.UpdateType.MESSAGE
_PRIVATE = filters.ChatType.PRIVATE
ADDRESSED = _Addressed()
QUESTION = _NEW_MESSAGE & filters.TEXT & ~filters.COMMAND & ADDRESSED
CAPTION_QUESTION = _NEW_MESSAGE & filters.CAPTION & ~filters.TEXT & ADDRESSED
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


def others_first(answer: Answer, shown: Sequence[str]) -> Answer:
    """For "who else ...": findings from articles not quoted before go first, so the new
    answer does not repeat the last one's."""
    fresh = [c for c in answer.citations if c.article_id not in shown]
    if not fresh or fresh[0] is answer.citations[0]:
        return answer
    seen = [c for c in answer.citations if c.article_id in shown]
    citations = (*fresh, *seen)
    return dataclasses.replace(
        answer, citations=citations, lead=citations[0].summary, planned=False
    )


class ChatHandlers:
    """Telegram handlers around one answerer, with the bot's memory of what it sent."""

    def __init__(
        self,
        answerer: Answering,
        settings: Settings,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``clock`` is wall time, not monotonic: remembered answers and contexts are saved
        and must still age correctly after a restart."""
        self._answerer = answerer
        self._max_question_chars = settings.max_question_chars
        self._typing_after = settings.typing_after_seconds
        self._clock = clock
        self.answers = AnswerMemory(settings.answers_kept, settings.answers_kept_hours * 3600)
        self.contexts = ContextMemory(CONTEXTS_KEPT, settings.follow_up_minutes * 60)
        self._follow_ups = settings.follow_up_minutes > 0
        self._access = Access.of(
            settings.allowed_user_ids, settings.allowed_chat_ids, settings.admin_user_ids
        )
        self._refused = Once()
        self._per_minute = settings.questions_per_minute
        self._limit = QuestionLimit(settings.questions_per_minute)
        self.stats = Stats()
        self._reloading = asyncio.Lock()

    def register(self, application: Application) -> None:
        """Adds the handlers in priority order: the first matching handler wins. The gate
        runs first, in its own group, and stops updates the allowlists keep out."""
        application.add_handler(TypeHandler(Update, self.gate), group=-1)
        commands = {
            "start": self.start,
            "help": self.help,
            "ask": self.ask,
            "new": self.new,
            "sources": self.sources,
            "stats": self.show_stats,
            "reload": self.reload,
        }
        for name, callback in commands.items():
            application.add_handler(CommandHandler(name, callback, filters=_NEW_MESSAGE))
        application.add_handler(MessageHandler(QUESTION, self.question))
        application.add_handler(MessageHandler(CAPTION_QUESTION, self.caption))
        application.add_handler(MessageHandler(ANOTHER_BOTS_COMMAND, self.another_bots_command))
        application.add_handler(MessageHandler(UNKNOWN_COMMAND, self.unknown_command))
        application.add_handler(MessageHandler(NON_TEXT, self.non_text))
        application.add_handler(CallbackQueryHandler(self.button))
        application.add_handler(InlineQueryHandler(self.inline))
        application.add_error_handler(self.on_error)

    # ---- the operator's gate ---------------------------------------------------------

    async def gate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user, chat = update.effective_user, update.effective_chat
        user_id = user.id if user is not None else None
        chat_id = chat.id if chat is not None else None
        if self._access.allows(user_id, chat_id):
            return
        log.info("Refused an update from user %s in chat %s (not allowed)", user_id, chat_id)
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(text=not_allowed(PLAIN)[:200])
            elif update.inline_query is not None:
                await update.inline_query.answer([], cache_time=0, is_personal=True)
            elif (
                update.message is not None
                and (is_addressed(update.message) or _is_own_command(update.message))
                and self._refused.first_time((chat_id, user_id))
            ):
                await reply_html(update, [not_allowed(HTML)])
        except TelegramError as e:
            log.warning("Could not tell a user they are not allowed: %s", e)
        raise ApplicationHandlerStop

    # ---- commands --------------------------------------------------------------------

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        examples, count = await asyncio.to_thread(self._examples_and_count)
        await reply_html(update, [welcome(examples, count, HTML)])

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        examples, _ = await asyncio.to_thread(self._examples_and_count)
        await reply_html(update, [chat_help(examples, context.bot.username or "", HTML)])

    async def ask(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/ask works in groups with privacy mode on, where plain messages never arrive."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        parts = message.text.split(maxsplit=1)
        question = parts[1] if len(parts) > 1 else ""
        if not has_words(_without_mention(question, context.bot.username)):
            examples, _ = await asyncio.to_thread(self._examples_and_count)
            await reply_html(update, [ask_usage(examples, HTML)])
            return
        await self._answer(update, message, question, context.bot.username)

    async def new(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat, user = update.effective_chat, update.effective_user
        if chat is not None and user is not None:
            self.contexts.clear(chat.id, user.id)
        await reply_html(update, [context_cleared(HTML)])

    async def sources(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        overview = await asyncio.to_thread(self._answerer.overview)
        await reply_html(update, [sources_text(overview, HTML)])

    async def show_stats(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self._admin_only(update, context):
            return
        overview = await asyncio.to_thread(self._answerer.overview)
        await reply_html(update, [stats_text(overview, self.stats.snapshot(), HTML)])

    async def reload(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self._admin_only(update, context):
            return
        if self._reloading.locked():
            await reply_html(update, [reload_busy(HTML)])
        async with self._reloading:
            changed = await asyncio.to_thread(self._answerer.reload)
            overview = await asyncio.to_thread(self._answerer.overview)
        await reply_html(update, [reload_done(changed, overview, HTML)])

    async def _admin_only(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
        """Admin commands from anyone else get what any unknown command gets, so they learn
        nothing about them."""
        user = update.effective_user
        if self._access.is_admin(user.id if user is not None else None):
            return True
        chat = update.effective_chat
        if chat is not None and chat.type == ChatType.PRIVATE:
            await self.unknown_command(update, context)
        return False

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

    # ---- questions -------------------------------------------------------------------

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

    async def _answer(
        self,
        update: Update,
        message: Message,
        text: str,
        username: str | None,
        note: str | None = None,
    ) -> None:
        started = time.monotonic()
        question = _without_mention(text, username).strip()
        trimmed = len(question) > self._max_question_chars
        if trimmed:
            question = trim_question(question, self._max_question_chars)
        if not has_words(question):
            await reply_html(update, [empty_question(HTML)])
            return
        chat_id = message.chat.id
        user_id = message.from_user.id if message.from_user is not None else chat_id
        now = self._clock()
        verdict = self._limit.check(user_id, now)
        if verdict is Verdict.SLOW_DOWN:
            await reply_html(update, [slow_down(self._per_minute, HTML)])
        if verdict is not Verdict.ASK:
            return
        previous = self.contexts.get(chat_id, user_id, now) if self._follow_ups else None
        reading = followups.read(question, previous)
        answer = await self._answer_showing_typing(message, reading.question)
        if reading.wants_others and previous is not None:
            answer = others_first(answer, previous.shown)
        self._remember_context(chat_id, user_id, answer, reading, previous)
        blocks = answer_page(answer, 0, HTML)
        if reading.follow_up:
            blocks = [read_as(reading.question, HTML), *blocks]
        if trimmed:
            blocks = [question_trimmed(self._max_question_chars, HTML), *blocks]
        if note is not None:
            blocks = [note, *blocks]
        markup = None
        if answer.found and answer.citations:
            key = self.answers.keep(chat_id, answer, self._clock())
            markup = buttons.keyboard(answer, key, 0)
        # Counted when the reply is ready: sending it waits on Telegram's flood limits,
        # which /stats should not blame on answering.
        self.stats.record(answer.found, time.monotonic() - started)
        await reply_html(update, blocks, markup)

    async def _answer_showing_typing(self, message: Message, question: str) -> Answer:
        """Shows "typing…" only when the answer is not ready within ``typing_after_seconds``:
        most answers take milliseconds, and each chat action is a request that counts
        against Telegram's flood limits like a message. The indicator never holds up the
        answer: under load it may still be waiting for its turn when the answer is ready,
        and is then called off."""
        work = asyncio.ensure_future(asyncio.to_thread(self._answerer.answer, question))
        done, _ = await asyncio.wait({work}, timeout=self._typing_after)
        if done:
            return work.result()
        typing = asyncio.ensure_future(_show_typing(message))
        try:
            return await work
        finally:
            if not typing.done():
                typing.cancel()

    def _remember_context(
        self,
        chat_id: int,
        user_id: int,
        answer: Answer,
        reading: followups.Reading,
        previous: followups.Context | None,
    ) -> None:
        """A found answer sets the context (a follow-up's too, so a chat can go on); a new
        question naming someone sets it even when nothing was found; a follow-up that found
        nothing keeps the one it followed."""
        if not self._follow_ups:
            return
        new = followups.context_of(answer)
        if new is None or (reading.follow_up and not answer.found):
            return
        if reading.follow_up and previous is not None:
            new = dataclasses.replace(new, shown=tuple(dict.fromkeys(previous.shown + new.shown)))
        self.contexts.set(chat_id, user_id, new, self._clock())

    # ---- buttons ---------------------------------------------------------------------

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answers every button press, since until answerCallbackQuery is called the
        user's client shows the button as loading, and answers it first, before the work
        it asks for."""
        query = update.callback_query
        if query is None:
            return
        press = buttons.decode(query.data)
        message = query.message
        answer = None
        if press is not None and message is not None:
            answer = self.answers.get(press.key, message.chat.id, self._clock())
        if press is None or answer is None or press.number >= len(answer.citations):
            await _answer_query(query, stale_button(PLAIN))
            return
        if press.kind is buttons.Kind.PAGE:
            await _answer_query(query, None)
            if self.answers.page(press.key) == press.number:
                return
            self.answers.show_page(press.key, press.number)
            text = pack([clean_text(b) for b in answer_page(answer, press.number, HTML)])[0]
            try:
                await query.edit_message_text(
                    text,
                    parse_mode=ParseMode.HTML,
                    link_preview_options=NO_LINK_PREVIEW,
                    reply_markup=buttons.keyboard(answer, press.key, press.number),
                )
            except BadRequest as e:
                # A second press on the same button before the first edit showed.
                if "not modified" not in str(e).lower():
                    raise
            return
        citation = answer.citations[press.number]
        article = await asyncio.to_thread(self._answerer.article, citation.article_id)
        if article is None:
            await _answer_query(query, article_gone(PLAIN))
            return
        await _answer_query(query, None)
        messages = pack([clean_text(b) for b in article_blocks(article, HTML)])
        if len(messages) > ARTICLE_MESSAGES:
            left = len(messages) - (ARTICLE_MESSAGES - 1)
            messages = [*messages[: ARTICLE_MESSAGES - 1], article_continues(left, HTML)]
        await send_html(context, message.chat.id, message.message_id, messages)

    # ---- inline mode -----------------------------------------------------------------

    async def inline(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.inline_query
        if query is None:
            return
        text = trim_question(clean_text(query.query).strip(), self._max_question_chars)
        text = _without_mention(text, context.bot.username).strip()
        if has_words(text):
            answer = await asyncio.to_thread(self._answerer.answer, text)
            results = answer_results(answer)
        else:
            results = example_results(await asyncio.to_thread(self._example_answers))
        try:
            # Telegram caches results per query text for everyone unless they are personal:
            # with an allowlist, a stranger must not be served an allowed user's results.
            await query.answer(
                results, cache_time=INLINE_CACHE_SECONDS, is_personal=self._access.restricted
            )
        except TelegramError as e:
            # Inline queries expire within seconds; the user has typed on meanwhile.
            log.info("Could not answer an inline query: %s", e)

    def _example_answers(self) -> list[Answer]:
        return [self._answerer.answer(q) for q in self._answerer.examples(EXAMPLE_COUNT)]

    # ---- failures --------------------------------------------------------------------

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
            if update.callback_query is not None:
                await _answer_query(update.callback_query, internal_error(PLAIN))
            else:
                await reply_html(update, [internal_error(HTML)])
        except Exception:
            log.exception("Could not tell the user about the failure either")

    def _examples_and_count(self) -> tuple[list[str], int]:
        return self._answerer.examples(EXAMPLE_COUNT), self._answerer.article_count

    # ---- memory, for bot.state_file ----------------------------------------------------

    @property
    def memory_version(self) -> tuple[int, int]:
        return self.answers.version, self.contexts.version

    def memory_snapshot(self) -> dict[str, Any]:
        return {"answers": self.answers.snapshot(), "contexts": self.contexts.snapshot()}

    def restore_memory(self, data: dict[str, Any]) -> None:
        now = self._clock()
        self.answers.restore(data.get("answers"), now)
        self.contexts.restore(data.get("contexts"), now)


async def _answer_query(query: CallbackQuery, text: str | None) -> None:
    """A press whose answer fails (expired query id, network) must not cost the work the
    press asked for: it is only the spinner."""
    try:
        await query.answer(text=text)
    except TelegramError as e:
        log.warning("Could not answer a button press: %s", e)


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


async def reply_html(
    update: Update, blocks: Sequence[str], markup: InlineKeyboardMarkup | None = None
) -> None:
    """Sends the blocks as HTML, in as few messages as fit, the first one replying to the
    user's message so the answer stays next to its question in a busy chat, the keyboard
    under the last. Without a message to reply to (a chat-only update) the text is simply
    sent to the chat."""
    message = update.effective_message
    chat = update.effective_chat
    texts = pack([clean_text(block) for block in blocks])
    for i, text in enumerate(texts):
        last = i == len(texts) - 1
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
                    reply_markup=markup if last else None,
                )
            elif chat is not None:
                await chat.send_message(
                    text,
                    parse_mode=ParseMode.HTML,
                    link_preview_options=NO_LINK_PREVIEW,
                    reply_markup=markup if last else None,
                )
        except TimedOut as e:
            # Sent, but no reply in time: Telegram has most likely delivered it, so it is
            # neither repeated nor apologised for (see bot.delivery); the rest still follows.
            if not may_have_been_delivered(e):
                raise
            log.warning("Telegram did not confirm a reply in time; taking it as delivered")


async def send_html(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply_to: int, texts: Sequence[str]
) -> None:
    """Messages already packed, the first replying to ``reply_to`` (the answer whose
    button asked for them)."""
    for i, text in enumerate(texts):
        try:
            await context.bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_LINK_PREVIEW,
                reply_parameters=(
                    ReplyParameters(reply_to, allow_sending_without_reply=True) if i == 0 else None
                ),
            )
        except TimedOut as e:
            if not may_have_been_delivered(e):
                raise
            log.warning("Telegram did not confirm a reply in time; taking it as delivered")
