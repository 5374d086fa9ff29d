"""Extract boilerplate interface strings from real translation catalogs into family TSV files.

The strings that fill web boilerplate (comment forms, consent banners, share bars, wiki and
blog navigation...) are the interface strings of the software that prints them. This script
reads those catalogs from Debian, npm and PyPI packages unpacked into a temporary directory
(never committed), picks the boilerplate message ids per family, normalises them and writes
``rules/cleaner_rules/data/catalog/<family>.tsv`` with the columns
``lang, text, source, split``.

Normalisation: HTML tags are stripped and entities decoded; placeholders (``%s``, ``%1$s``,
``%(name)s``, ``{{ n }}``, ``$1``, ``{title}``, ``#``...) become ``{n}`` for a number and
``{x}`` for anything else; whitespace is collapsed. Language codes are ISO 639-1 (``pt_BR`` ->
``pt``, ``zh_TW`` -> ``zh``, ``jp`` -> ``ja``, ``no`` -> ``nb``).

``split`` is decided per source, never per line: whole packages are held back (``holdout``)
so that the corpus can check how rules built from the ``train`` sources generalise to
software they were not built from. The hand-written strings (families with no catalog:
caption credits, feed-reader headers, advertisement markers, source footers, rating widgets)
come from ``tools/handwritten_strings.py`` and are marked ``hand-written`` in ``source``.

Usage::

    python tools/extract_catalogs.py PACKAGES_DIR rules/cleaner_rules/data/catalog

where PACKAGES_DIR holds the unpacked packages as laid out by ``tools/fetch_catalogs.sh``.
PyYAML must be importable (``pip install --target DIR pyyaml`` and ``PYTHONPATH=DIR``) for the
klaro files.
"""

from __future__ import annotations

import gettext
import html
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from handwritten_strings import HANDWRITTEN

FAMILIES = (
    "comments",
    "ratings",
    "share",
    "related",
    "newsletter",
    "consent",
    "captions",
    "tags",
    "byline",
    "navigation",
    "ads",
    "feed_header",
    "source_footer",
    "toolbar",
)

# Whole sources held back for the generalisation check.
HOLDOUT = {
    "tarteaucitronjs",
    "django-contrib-comments",
    "django-comments-xtd",
    "django-blog-zinnia",
    "dokuwiki",
    "waline",
    "mkdocs-material",
}

Row = tuple[str, str, str, str, str]  # family, lang, text, source, split

# -- WordPress core (Debian wordpress-l10n): msgid -> (family, placeholder kinds) -------------
WORDPRESS: dict[str, tuple[str, str]] = {
    "% Comments": ("comments", "n"),
    "1 Comment": ("comments", ""),
    "No Comments": ("comments", ""),
    "Leave a Comment": ("comments", ""),
    "Leave a comment": ("comments", ""),
    "Leave a Reply": ("comments", ""),
    "Leave a Reply to %s": ("comments", "x"),
    "Cancel reply": ("comments", ""),
    "Click here to cancel reply.": ("comments", ""),
    "Comments": ("comments", ""),
    "noun\x04Comment": ("comments", ""),
    "Comments are closed.": ("comments", ""),
    "Comments Off": ("comments", ""),
    "Comments on %s": ("comments", "x"),
    "Comment on %s": ("comments", "x"),
    "Log in to Reply": ("comments", ""),
    "Log in to leave a Comment": ("comments", ""),
    "Post Comment": ("comments", ""),
    "Submit Comment": ("comments", ""),
    "Reply": ("comments", ""),
    "Reply to this comment": ("comments", ""),
    "Required fields are marked %s": ("comments", "x"),
    "Your email address will not be published.": ("comments", ""),
    'You must be <a href="%s">logged in</a> to post a comment.': ("comments", "x"),
    "Sorry, you must be logged in to post a comment.": ("comments", ""),
    "You must be registered to comment": ("comments", ""),
    "Your comment is awaiting moderation.": ("comments", ""),
    "No comments yet.": ("comments", ""),
    "Newer Comments &raquo;": ("comments", ""),
    "&laquo; Older Comments": ("comments", ""),
    "Newer comments": ("comments", ""),
    "Older comments": ("comments", ""),
    "Show more comments": ("comments", ""),
    "Recent Comments": ("comments", ""),
    "Your Comment": ("comments", ""),
    "Enter your password to view comments.": ("comments", ""),
    "This post is password protected. Enter the password to view comments.": ("comments", ""),
    "Sorry, the comment form is closed at this time.": ("comments", ""),
    "Sorry, comments are closed for this item.": ("comments", ""),
    'Logged in as <a href="%1$s">%2$s</a>. <a href="%3$s" title="Log out of this '
    'account">Log out?</a>': ("comments", "xxx"),
    'Logged in as <a href="%1$s">%2$s</a>.': ("comments", "xx"),
    "Save my name, email, and website in this browser for the next time I comment.": (
        "comments",
        "",
    ),
    "One thought on &ldquo;%s&rdquo;": ("comments", "x"),
    "Website": ("comments", ""),
    "Name": ("comments", ""),
    "Email": ("comments", ""),
    "Comments (RSS)": ("navigation", ""),
    "Entries (RSS)": ("navigation", ""),
    'Comments <abbr title="Really Simple Syndication">RSS</abbr>': ("navigation", ""),
    'Entries <abbr title="Really Simple Syndication">RSS</abbr>': ("navigation", ""),
    "Comments Feed": ("navigation", ""),
    "Next Post": ("navigation", ""),
    "Previous Post": ("navigation", ""),
    "next post\x04Next": ("navigation", ""),
    "previous post\x04Previous": ("navigation", ""),
    "Next page": ("navigation", ""),
    "Previous page": ("navigation", ""),
    "Next Page &raquo;": ("navigation", ""),
    "&laquo; Previous Page": ("navigation", ""),
    "Next &raquo;": ("navigation", ""),
    "&laquo; Previous": ("navigation", ""),
    "Newer posts": ("navigation", ""),
    "Older posts": ("navigation", ""),
    "&laquo; Newer Posts": ("navigation", ""),
    "Older Posts &raquo;": ("navigation", ""),
    "Skip to content": ("navigation", ""),
    "Skip to toolbar": ("navigation", ""),
    "Home": ("navigation", ""),
    "label\x04Search for:": ("navigation", ""),
    "Search for:": ("navigation", ""),
    "Powered by WordPress": ("navigation", ""),
    "%1$s is proudly powered by %2$s": ("navigation", "xx"),
    "Proudly powered by %s": ("navigation", "x"),
    "&larr; Back to %s": ("navigation", "x"),
    "Archives": ("navigation", ""),
    "Recent Posts": ("related", ""),
    "Categories": ("tags", ""),
    "taxonomy general name\x04Categories": ("tags", ""),
    "taxonomy general name\x04Tags": ("tags", ""),
    "Tags": ("tags", ""),
    "Category: %s": ("tags", "x"),
    "Tag: %s": ("tags", "x"),
    "Archives: %s": ("tags", "x"),
    "View all posts in %s": ("tags", "x"),
    "View all posts filed under %s": ("tags", "x"),
    "Uncategorized": ("tags", ""),
    "You are currently browsing the archives for the %s category.": ("tags", "x"),
    "Posts by %s": ("byline", "x"),
    "<strong>Author:</strong> %s": ("byline", "x"),
    "By %s": ("byline", "x"),
    "by %s": ("byline", "x"),
    "Posted on %s": ("byline", "x"),
    "View all posts by %s": ("byline", "x"),
    "Visit author homepage": ("byline", ""),
    "(more&hellip;)": ("related", ""),
    "Read more...": ("related", ""),
    "Continue reading %s": ("related", "x"),
    "Continue reading": ("related", ""),
    "Read more": ("related", ""),
    "Print": ("toolbar", ""),
    "Edit": ("toolbar", ""),
}
WP_PLURALS: dict[str, tuple[str, str]] = {
    "%s Comment": ("comments", "n"),
    "%1$s thought on &ldquo;%2$s&rdquo;": ("comments", "nx"),
    "One thought on &ldquo;%s&rdquo;": ("comments", "x"),
}

# -- MediaWiki core messages (Debian mediawiki) ----------------------------------------------
MEDIAWIKI = {
    "jumpto": "navigation",
    "jumptonavigation": "navigation",
    "jumptosearch": "navigation",
    "mainpage-description": "navigation",
    "randompage": "navigation",
    "recentchanges": "navigation",
    "navigation": "navigation",
    "personaltools": "navigation",
    "otherlanguages": "navigation",
    "returnto": "navigation",
    "redirectedfrom": "navigation",
    "tagline": "source_footer",
    "retrievedfrom": "source_footer",
    "lastmodifiedat": "source_footer",
    "privacy": "source_footer",
    "aboutsite": "source_footer",
    "disclaimers": "source_footer",
    "pagecategories": "tags",
    "hidden-categories": "tags",
    "editsection": "toolbar",
    "printableversion": "toolbar",
    "permalink": "toolbar",
    "whatlinkshere": "toolbar",
    "toolbox": "toolbar",
    "print": "toolbar",
    "history_short": "toolbar",
    "viewcount": "byline",
}

# -- DokuWiki core strings (Debian dokuwiki) -------------------------------------------------
DOKUWIKI = {
    "btn_top": "navigation",
    "youarehere": "navigation",
    "breadcrumb": "navigation",
    "skip_to_content": "navigation",
    "btn_recent": "navigation",
    "btn_index": "navigation",
    "lastmod": "byline",
    "btn_source": "toolbar",
    "btn_backlink": "toolbar",
    "btn_edit": "toolbar",
    "btn_revs": "toolbar",
}

# -- mkdocs-material partials/languages (PyPI mkdocs-material) -------------------------------
MKDOCS = {
    "action.skip": "navigation",
    "top": "navigation",
    "footer.next": "navigation",
    "footer.previous": "navigation",
    "toc": "navigation",
    "blog.continue": "related",
    "blog.references": "related",
    "blog.categories": "tags",
    "meta.comments": "comments",
    "readtime.one": "byline",
    "readtime.other": "byline",
    "source.file.contributors": "byline",
    "source.file.date.created": "byline",
    "source.file.date.updated": "byline",
    "search.share": "share",
    "consent.accept": "consent",
    "consent.manage": "consent",
    "consent.reject": "consent",
    "action.edit": "toolbar",
    "action.view": "toolbar",
    "clipboard.copy": "toolbar",
}

# -- isso comment widget (PyPI isso) ---------------------------------------------------------
ISSO = {
    "postbox-text": "comments",
    "postbox-author": "comments",
    "postbox-email": "comments",
    "postbox-website": "comments",
    "postbox-preview": "comments",
    "postbox-submit": "comments",
    "postbox-notification": "comments",
    "num-comments": "comments",
    "no-comments": "comments",
    "comment-reply": "comments",
    "comment-queued": "comments",
    "comment-deleted": "comments",
    "atom-feed": "comments",
}

# -- waline comment widget (npm @waline/client): array key -> family --------------------------
WALINE = {
    "placeholder": "comments",
    "sofa": "comments",
    "submit": "comments",
    "reply": "comments",
    "cancelReply": "comments",
    "comment": "comments",
    "more": "comments",
    "login": "comments",
    "optional": "comments",
    "latest": "comments",
    "oldest": "comments",
    "hottest": "comments",
    "commentUnderReview": "comments",
    "subPostComment": "newsletter",
    "subSiteComment": "newsletter",
    "subscribeToReplies": "newsletter",
    "reactionTitle": "ratings",
    "like": "ratings",
}

# -- Django apps (PyPI): msgid -> family ----------------------------------------------------
DJANGO: dict[str, dict[str, str]] = {
    "django-contrib-comments": {
        "Post your comment": "comments",
        "Preview your comment": "comments",
        "Thank you for your comment": "comments",
        "Thanks for commenting": "comments",
        "Comment": "comments",
        "Post": "comments",
        "Preview": "comments",
        "Flag this comment": "comments",
        "or make changes": "comments",
        "Email address": "comments",
        "Latest comments on %(site_name)s": "comments",
    },
    "django-comments-xtd": {
        "Post your comment": "comments",
        "Preview your comment": "comments",
        "No comments yet.": "comments",
        "List of comments": "comments",
        "Your comment": "comments",
        "Notify me about follow-up comments": "comments",
        "Required for comment verification": "comments",
        "Required for comment verification.": "comments",
        "url your name links to (optional)": "comments",
        "Reply": "comments",
        "comment permalink": "comments",
        "Only registered users can post comments.": "comments",
        "Comments are disabled for this article.": "comments",
        "Thanks for your comment!": "comments",
        "Comment in moderation": "comments",
        "Your comment will be reviewed. Thank your for your patience.": "comments",
        "Do you like this comment?": "ratings",
        "I like it": "ratings",
        "I dislike it": "ratings",
        "flag comment as inappropriate": "comments",
    },
    "django-blog-zinnia": {
        "Leave a comment on %(object)s": "comments",
        "Be first to comment!": "comments",
        "Comments are closed.": "comments",
        "No comments yet.": "comments",
        "Post your comment": "comments",
        "Thanks for your comment": "comments",
        "Comments": "comments",
        "Related entries": "related",
        "Similar entries": "related",
        "Recent entries": "related",
        "Popular entries": "related",
        "Random entries": "related",
        "Continue reading": "related",
        "%(percent)s%% of %(object)s still remains to read.": "related",
        "Next entry": "navigation",
        "Previous entry": "navigation",
        "Back to %(title)s": "navigation",
        "Written by": "byline",
        "Written on": "byline",
        "Last update on": "byline",
        "Show all %(author)s's entries": "byline",
        "Show all entries in %(category)s": "tags",
        "Show all entries tagged by %(tag)s": "tags",
        "Categories": "tags",
        "Tags": "tags",
        "No tags": "tags",
        "Short url": "toolbar",
        "RSS feed of last entries": "navigation",
        "RSS feed of comments on %(object)s": "comments",
    },
    "Mezzanine": {
        "Posted by": "byline",
        "%(sometime)s ago": "byline",
        "%(comments_count)s comment": "comments",
        "Related posts": "related",
        "Other posts": "related",
        "read more": "related",
        "Recent Posts": "related",
        "Tags": "tags",
        "Tag:": "tags",
        "Category:": "tags",
        "Author:": "byline",
        "Viewing posts tagged": "tags",
        "Viewing posts for the category": "tags",
        "Viewing posts by": "byline",
        "Share on Twitter": "share",
        "Share on Facebook": "share",
        "Comments": "comments",
        "Rating": "ratings",
        "Current rating": "ratings",
        "Rate": "ratings",
        "Average rating": "ratings",
        "Comment": "comments",
        "Name": "comments",
        "Email": "comments",
        "Website": "comments",
        "Reply": "comments",
        "New Comment": "comments",
        "Comment as": "comments",
        "Feeds": "navigation",
    },
    "django-newsletter": {
        "Subscribe": "newsletter",
        "Unsubscribe": "newsletter",
        "Newsletter": "newsletter",
        "Newsletter subscribe": "newsletter",
        "Do you want to subscribe to this newsletter?": "newsletter",
        "Subscription to %(title)s": "newsletter",
        "You have been subscribed to %s.": "newsletter",
        "Read message online": "newsletter",
        "Update subscriptions": "newsletter",
        "Newsletter archive": "newsletter",
    },
    "django-star-ratings": {
        "Average: ": "ratings",
        "Rating Count: ": "ratings",
        "You Rated: ": "ratings",
        "Not rated": "ratings",
        "Please log in to rate.": "ratings",
    },
}

# -- consent banners (npm): key path -> family ----------------------------------------------
KLARO = {
    "acceptAll": "consent",
    "acceptSelected": "consent",
    "decline": "consent",
    "ok": "consent",
    "poweredBy": "consent",
    "consentModal.title": "consent",
    "consentModal.description": "consent",
    "consentNotice.title": "consent",
    "consentNotice.description": "consent",
    "consentNotice.changeDescription": "consent",
    "consentNotice.learnMore": "consent",
    "consentNotice.privacyPolicy.name": "consent",
    "contextualConsent.description": "consent",
    "contextualConsent.modalLinkText": "consent",
    "privacyPolicy.text": "consent",
}
TARTEAUCITRON = {
    "alertBigPrivacy": "consent",
    "alertBig": "consent",
    "alertBigClick": "consent",
    "alertSmall": "consent",
    "personalize": "consent",
    "acceptAll": "consent",
    "closeBanner": "consent",
    "privacyUrl": "consent",
    "disclaimer": "consent",
    "allowAll": "consent",
    "denyAll": "consent",
    "title": "consent",
    "noServices": "consent",
    "toggleInfoBox": "consent",
    "credit": "consent",
    "adblock": "consent",
    "adblock_call": "consent",
    "info": "consent",
    "more": "related",
}
SHARIFF_TOOLBAR = {"print", "mail", "info"}

NUMBER_HINTS = re.compile(r"count|number|num|percent|\bn\b|_count|word_count", re.I)


def iso(locale: str) -> str:
    """ISO 639-1 code of a catalog locale name.

    >>> [iso(x) for x in ("pt_BR", "zh-Hant", "jp", "de_DE", "no", "sr_Latn", "cn")]
    ['pt', 'zh', 'ja', 'de', 'nb', 'sr', 'zh']
    """
    base = re.split(r"[_@.-]", locale)[0].lower()
    return {"jp": "ja", "no": "nb", "cn": "zh", "se": "sv", "ua": "uk"}.get(base, base)


def normalise(text: str, kinds: str = "") -> str:
    """Strip markup, decode entities, and replace placeholders by ``{n}``/``{x}``.

    ``kinds`` gives, in order, the kind of each positional ``%s``-style placeholder (``n`` or
    ``x``); named placeholders are numbers when their name says so.

    >>> normalise("%1$s thoughts on &ldquo;%2$s&rdquo;", "nx")
    '{n} thoughts on “{x}”'
    >>> normalise('You must be <a href="%s">logged in</a> to post a comment.', "x")
    'You must be logged in to post a comment.'
    >>> normalise("%s Comments", "n")
    '{n} Comments'
    >>> normalise("{{ n }} Kommentare"), normalise("# Min. Lesezeit"), normalise("$1 Wörtern")
    ('{n} Kommentare', '{n} Min. Lesezeit', '{x} Wörtern')
    """
    text = re.sub(r'<a [^>]*href="%[0-9$]*s"[^>]*>', "<a>", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text).replace("\xa0", " ")
    position = [0]

    def positional(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1 if match.group(1) else position[0]
        position[0] += 1
        kind = kinds[index] if index < len(kinds) else ("n" if match.group(2) == "d" else "x")
        return "{" + kind + "}"

    text = re.sub(r"%(?:(\d)\$)?([sdi])", positional, text)
    text = re.sub(
        r"%\((\w+)\)[sdi]",
        lambda m: "{n}" if NUMBER_HINTS.search(m.group(1)) else "{x}",
        text,
    )
    text = re.sub(r"\{\{\s*n\s*\}\}|^#(?= )|(?<= )#(?= )", "{n}", text)
    text = re.sub(r"\{\{\s*\w+\s*\}\}|\$\d|\{(?!n\}|x\})\w+\}", "{x}", text)
    text = text.replace("%%", "%")
    return re.sub(r"\s+", " ", text).strip()


def mo_catalog(path: Path) -> dict[object, str]:
    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]


def po_catalog(path: Path) -> dict[str, str]:
    """msgid -> msgstr (first plural form) of a .po file; untranslated entries skipped."""
    entries: dict[str, str] = {}
    text = path.read_text(encoding="utf-8", errors="replace")
    for block in re.split(r"\n\s*\n", text):
        if re.search(r"^#, .*fuzzy", block, re.M):
            continue
        msgid = _po_field(block, "msgid")
        msgstr = _po_field(block, "msgstr") or _po_field(block, r"msgstr\[0\]")
        if msgid and msgstr:
            entries[msgid] = msgstr
    return entries


def _po_field(block: str, name: str) -> str:
    match = re.search(rf'^{name} ((?:".*"\n?)+)', block + "\n", re.M)
    if not match:
        return ""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))
    return "".join(parts).encode("latin-1", "backslashreplace").decode("unicode_escape")


def _po_unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", " ")


def wordpress(root: Path) -> Iterator[Row]:
    folder = root / "wordpress-l10n/usr/share/wordpress/wp-content/languages"
    for path in sorted(folder.glob("*.mo")):
        if path.name.startswith(("admin", "continents")):
            continue
        catalog = mo_catalog(path)
        source = f"wordpress-l10n:{path.stem}"
        for key, translated in catalog.items():
            spec = WP_PLURALS.get(key[0]) if isinstance(key, tuple) else WORDPRESS.get(key)
            if spec and translated:
                family, kinds = spec
                if key == "% Comments":  # the bare % is the count, wherever the translation puts it
                    translated = re.sub(r"%(?![sd(\d])", "%s", translated)
                yield family, iso(path.stem), normalise(translated, kinds), source, "train"
    for specs in (WORDPRESS, WP_PLURALS):
        for msgid, (family, kinds) in specs.items():
            text = normalise(msgid.split("\x04")[-1].replace("% C", "%s C"), kinds)
            yield family, "en", text, "wordpress-l10n:en (msgid)", "train"


def mediawiki(root: Path) -> Iterator[Row]:
    folder = root / "mediawiki/usr/share/mediawiki/languages/i18n"
    for path in sorted(folder.glob("*.json")):
        # two-letter codes only: the hundreds of small wikis' languages add noise, not coverage
        if len(path.stem) != 2 and path.stem not in {"pt-br", "zh-hans", "zh-hant"}:
            continue
        messages = json.loads(path.read_text(encoding="utf-8"))
        for key, family in MEDIAWIKI.items():
            value = messages.get(key)
            if not value:
                continue
            for form in plural_forms(value):
                form = re.sub(r"\{\{(?:SITENAME|int:[^}]*)\}\}", "$1", form)
                yield family, iso(path.stem), normalise(form), f"mediawiki:{path.stem}", "train"


def plural_forms(value: str) -> list[str]:
    """Every variant of a MediaWiki ``{{PLURAL:$1|one|other}}`` message.

    >>> plural_forms("{{PLURAL:$1|Category|Categories}}")
    ['Category', 'Categories']
    """
    match = re.search(r"\{\{PLURAL:[^|]*\|([^}]*)\}\}", value)
    if not match:
        return [value]
    forms = [f.split("=", 1)[-1] for f in match.group(1).split("|")]
    return [value[: match.start()] + f + value[match.end() :] for f in forms]


def dokuwiki(root: Path) -> Iterator[Row]:
    folder = root / "dokuwiki/usr/share/dokuwiki/inc/lang"
    for path in sorted(folder.glob("*/lang.php")):
        code = path.parent.name
        text = path.read_text(encoding="utf-8", errors="replace")
        for key, family in DOKUWIKI.items():
            match = re.search(rf"\$lang\['{key}'\]\s*=\s*(['\"])(.*?)(?<!\\)\1\s*;", text)
            if match and match.group(2):
                value = match.group(2).replace("\\'", "'").replace('\\"', '"')
                yield family, iso(code), normalise(value), f"dokuwiki:{code}", "holdout"


def mkdocs_material(root: Path) -> Iterator[Row]:
    folder = root / "mkdocs-material/material/templates/partials/languages"
    for path in sorted(folder.glob("*.html")):
        text = path.read_text(encoding="utf-8")
        pairs = dict(re.findall(r'^\s*"([\w.]+)": "((?:[^"\\]|\\.)*)"', text, re.M))
        for key, family in MKDOCS.items():
            if pairs.get(key):
                source = f"mkdocs-material:{path.stem}"
                yield family, iso(path.stem), normalise(pairs[key]), source, "holdout"


def isso(root: Path) -> Iterator[Row]:
    folder = next((root / "isso").glob("isso-*/isso/js/app/i18n"))
    for path in sorted(folder.glob("*.js")):
        text = path.read_text(encoding="utf-8")
        pairs = dict(re.findall(r'^\s*"([\w-]+)": "((?:[^"\\]|\\.)*)"', text, re.M))
        for key, family in ISSO.items():
            for value in pairs.get(key, "").split("\\n"):
                if value:
                    yield family, iso(path.stem), normalise(value), f"isso:{path.stem}", "train"


def waline(root: Path) -> Iterator[Row]:
    bundle = (root / "waline/dist/waline.js").read_text(encoding="utf-8")
    keys_match = re.search(r'\[("nick","nickError".*?)\]', bundle)
    if not keys_match:
        raise SystemExit("The waline bundle changed: its locale key list was not found.")
    keys = json.loads("[" + keys_match.group(1) + "]")
    arrays = {
        name: json.loads(body)
        for name, body in re.findall(
            r'(\w+)=\w+\((\["(?:[^"\\]|\\.)*"(?:,"(?:[^"\\]|\\.)*")*\])\)', bundle
        )
    }
    table = re.search(r"\{zh:(\w+),\"zh-cn\".*?\}", bundle)
    if not table:
        raise SystemExit("The waline bundle changed: its locale table was not found.")
    mapping = dict(re.findall(r'"?([\w-]+)"?:(\w+)', table.group(0)))
    seen: set[str] = set()
    for locale, name in mapping.items():
        if name in seen or name not in arrays:
            continue
        seen.add(name)
        values = dict(zip(keys, arrays[name], strict=False))
        code = {"zh": "zh", "zh-tw": "zh"}.get(locale, iso(locale))
        for key, family in WALINE.items():
            if values.get(key):
                yield family, code, normalise(values[key]), f"waline:{locale}", "holdout"


def django(root: Path) -> Iterator[Row]:
    folders = {
        "django-contrib-comments": "django_contrib_comments",
        "django-comments-xtd": "django_comments_xtd",
        "django-blog-zinnia": "django_blog_zinnia",
        "Mezzanine": "mezzanine",
        "django-newsletter": "django_newsletter",
        "django-star-ratings": "django_star_ratings",
    }
    for name, folder in folders.items():
        split = "holdout" if name in HOLDOUT else "train"
        for path in sorted((root / folder).glob("**/locale/*/LC_MESSAGES/*.po")):
            locale = path.parts[-3]
            if locale == "en" or locale.startswith("en_"):
                continue
            catalog = po_catalog(path)
            for msgid, family in DJANGO[name].items():
                if catalog.get(msgid):
                    text = normalise(_po_unescape(catalog[msgid]))
                    yield family, iso(locale), text, f"{name}:{locale}", split
        english = DJANGO[name]
        for msgid, family in english.items():
            yield family, "en", normalise(msgid), f"{name}:en", split


def klaro(root: Path) -> Iterator[Row]:
    import yaml  # only needed here; see the module docstring

    for path in sorted((root / "klaro/src/translations").glob("*.yml")):
        if path.name.endswith(".ref.yml"):
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, family in KLARO.items():
            value: object = data
            for part in key.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if isinstance(value, str) and value.strip():
                yield family, iso(path.stem), normalise(value), f"klaro:{path.stem}", "train"


def tarteaucitron(root: Path) -> Iterator[Row]:
    for path in sorted((root / "tarteaucitronjs/lang").glob("tarteaucitron.*.js")):
        if path.name.endswith(".min.js"):
            continue
        code = path.name.split(".")[1]
        if code == "se":  # an older duplicate of the Swedish file
            continue
        text = path.read_text(encoding="utf-8")
        pairs = dict(re.findall(r'^    "(\w+)": "((?:[^"\\]|\\.)*)"', text, re.M))
        for key, family in TARTEAUCITRON.items():
            if pairs.get(key):
                source = f"tarteaucitronjs:{code}"
                yield family, iso(code), normalise(pairs[key]), source, "holdout"


def shariff(root: Path) -> Iterator[Row]:
    for path in sorted((root / "shariff/src/js/services").glob("*.js")):
        text = path.read_text(encoding="utf-8")
        family = "toolbar" if path.stem in SHARIFF_TOOLBAR else "share"
        for block in re.findall(r"(?:shareText|title): \{(.*?)\}", text, re.S):
            for code, value in re.findall(r"(\w+): '((?:[^'\\]|\\.)*)'", block):
                if value:
                    source = f"shariff:{path.stem}"
                    yield family, iso(code), normalise(value), source, "train"


def handwritten() -> Iterator[Row]:
    for family, by_lang in HANDWRITTEN.items():
        for lang, texts in by_lang.items():
            for text in texts:
                yield family, lang, text, "hand-written", "train"


READERS = (
    wordpress,
    mediawiki,
    dokuwiki,
    mkdocs_material,
    isso,
    waline,
    django,
    klaro,
    tarteaucitron,
    shariff,
)


def keep(text: str) -> bool:
    """Drop empty, placeholder-only, or untranslated-looking junk strings."""
    bare = re.sub(r"\{[nx]\}|[\s\W_]", "", text)
    leftover = re.search(r"\{\{|\}\}|\$\w|%\w|\\", text)
    return bool(bare) and not leftover and len(text) <= 300


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("Usage: extract_catalogs.py PACKAGES_DIR OUTPUT_DIR", file=sys.stderr)
        return 2
    root, out = Path(argv[1]), Path(argv[2])
    rows: list[Row] = []
    for reader in READERS:
        rows.extend(reader(root))
    rows.extend(handwritten())
    seen: set[tuple[str, str, str]] = set()
    by_family: dict[str, list[Row]] = {family: [] for family in FAMILIES}
    for row in rows:
        family, lang, text, source, split = row
        text = text.replace("\t", " ")
        if not keep(text) or (family, lang, text) in seen:
            continue
        seen.add((family, lang, text))
        by_family[family].append((family, lang, text, source, split))
    out.mkdir(parents=True, exist_ok=True)
    for family, family_rows in by_family.items():
        family_rows.sort(key=lambda r: (r[1], r[4], r[3], r[2]))
        lines = ["lang\ttext\tsource\tsplit"]
        lines += [
            f"{lang}\t{text}\t{source}\t{split}" for _, lang, text, source, split in family_rows
        ]
        (out / f"{family}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{family}: {len(family_rows)} strings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
