"""Build the labelled boilerplate corpus ``tests/corpus/<lang>.jsonl`` from committed inputs.

Inputs: the prose pools ``tests/corpus/sources/<lang>.json`` (real paragraphs, sentences and
headings, see ``tools/extract_prose.py``) and the string catalog
``rules/cleaner_rules/data/catalog/<family>.tsv`` (see ``tools/extract_catalogs.py``).

Each language gets documents built like scraped article pages: real content paragraphs
(separated by blank lines), look-alike lines (real sentences and headings that contain a
widget's trigger words in that language), and catalog strings rendered as they appear on pages
(placeholders filled: ``{n}`` a number, ``{x}`` a name, date, agency, site or title) planted
where sites put them: navigation, feed headers and bylines in the header zone, share bars and
toolbars after the first paragraph, captions and ads around the middle, related blocks in the
middle, and tags, ratings, newsletter, consent, comments and source footers in a trailing block.

Every line records its ``label`` (``content``, ``boilerplate``, ``lookalike``, or ``blank`` for
the empty separator lines), its ``family`` and ``split`` (boilerplate only) and its ``source``.
Deterministic: fixed seeds, sorted inputs. ``python tools/build_corpus.py`` rewrites the files.
"""

from __future__ import annotations

import csv
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tests/corpus/sources"
CATALOG = ROOT / "rules/cleaner_rules/data/catalog"
OUT = ROOT / "tests/corpus"
SEED = 20240601

CJK = {"ja", "zh", "ko"}
LOOKALIKES_PER_LANG = 60
CONTENT_PER_LANG = 320
BOILERPLATE_LINES_MIN = 130

# Trigger words of the widgets, per language (word starts; substrings for CJK). Hand-written.
TRIGGERS: dict[str, list[str]] = {
    "en": ["comment", "photo", "picture", "image", "source", "share", "link", "subscri", "cookie",
           "rating", "vote", "read more", "tag", "categor", "print", "e-mail", "email", "advert",
           "sponsor", "related", "next", "previous", "reply", "author", "newsletter", "feed",
           "credit", "copyright", "log in", "login", "search", "home", "menu", "privacy",
           "consent", "accept", "publish", "update", "edit", "summary"],
    "de": ["kommentar", "foto", "bild", "quelle", "teilen", "link", "abonn", "cookie", "bewert",
           "lesen", "tag", "kategor", "druck", "e-mail", "anzeige", "werbung", "sponsor",
           "nächst", "vorherig", "antwort", "autor", "newsletter", "feed", "datenschutz",
           "anmeld", "such", "startseite", "menü", "zustimm", "akzept", "veröffentlich",
           "aktualisier", "bearbeit", "zusammenfass"],
    "fr": ["comment", "photo", "image", "source", "partag", "lien", "abonn", "cookie", "note",
           "vote", "lire", "étiquette", "catégor", "imprim", "courriel", "e-mail", "publicit",
           "sponsor", "suivant", "précédent", "répon", "auteur", "newsletter", "flux",
           "confidentialit", "connexion", "recherch", "accueil", "menu", "accept", "publi",
           "mise à jour", "modifi", "résumé"],
    "es": ["comentario", "foto", "imagen", "fuente", "compart", "enlace", "suscri", "cookie",
           "valora", "voto", "leer", "etiqueta", "categor", "imprim", "correo", "publicidad",
           "anuncio", "patrocin", "siguiente", "anterior", "respuesta", "responder", "autor",
           "boletín", "privacidad", "iniciar sesión", "busca", "inicio", "menú", "acept",
           "publica", "actualiz", "editar", "resumen"],
    "it": ["comment", "foto", "immagin", "fonte", "condivi", "link", "collegament", "iscri",
           "cookie", "valuta", "voto", "legg", "etichett", "categori", "stamp", "email", "posta",
           "pubblicit", "sponsor", "successiv", "precedent", "rispost", "autore", "newsletter",
           "feed", "privacy", "accedi", "accesso", "cerca", "ricerca", "menu", "accett",
           "pubblica", "aggiorn", "modific", "riassunto"],
    "pt": ["comentário", "foto", "imagem", "fonte", "compartilh", "partilh", "link", "ligação",
           "assin", "inscrev", "cookie", "avalia", "voto", "ler", "leia", "etiqueta", "tag",
           "categoria", "imprim", "e-mail", "correio", "publicidade", "anúncio", "patrocin",
           "próxim", "anterior", "respost", "autor", "boletim", "feed", "privacidade", "entrar",
           "pesquis", "busca", "início", "menu", "aceit", "publica", "atualiz", "editar", "resumo"],
    "nl": ["reactie", "commentaar", "foto", "afbeelding", "bron", "delen", "gedeeld", "link",
           "koppeling", "abonne", "aanmeld", "cookie", "beoordel", "stem", "lees", "lezen",
           "label", "tag", "categorie", "afdruk", "print", "e-mail", "advertent", "gesponsord",
           "volgend", "vorig", "antwoord", "auteur", "nieuwsbrief", "feed", "privacy", "inloggen",
           "zoek", "menu", "accepte", "publice", "bijgewerkt", "bewerk", "samenvatting"],
    "pl": ["komentarz", "zdjęci", "obraz", "źródł", "udostępni", "współdziel", "link",
           "odnośnik", "subskryb", "cookie", "ciasteczk", "ocen", "głos", "czyta", "etykiet",
           "tag", "kategori", "drukuj", "drukowa", "e-mail", "poczt", "reklam", "sponsor",
           "następn", "poprzedni", "odpowied", "autor", "biuletyn", "kanał", "prywatnoś",
           "zaloguj", "szukaj", "wyszuk", "menu", "akcept", "publik", "aktualiz", "edyt",
           "podsumow"],
    "ru": ["коммент", "фото", "изображен", "картин", "источник", "подел", "общий доступ", "ссылк",
           "подпис", "cookie", "куки", "оцен", "голос", "читат", "метк", "тег", "категор",
           "печат", "почт", "реклам", "спонсор", "следующ", "предыдущ", "ответ", "автор",
           "рассылк", "лент", "конфиденциальн", "войти", "вход", "поиск", "меню", "принять",
           "публик", "обновл", "редакт", "резюме"],
    "tr": ["yorum", "fotoğraf", "resim", "görsel", "kaynak", "paylaş", "bağlantı", "link",
           "abone", "çerez", "cookie", "puan", "oku", "etiket", "kategori", "yazdır", "e-posta",
           "posta", "reklam", "sponsor", "sonraki", "önceki", "yanıt", "cevap", "yazar", "bülten",
           "besleme", "gizlilik", "giriş", "arama", "menü", "kabul", "yayın", "güncelle",
           "düzenle", "özet"],
    "sv": ["kommentar", "foto", "bild", "källa", "dela", "delning", "länk", "prenumer", "cookie",
           "kaka", "betyg", "röst", "läs", "etikett", "tagg", "kategori", "skriv ut", "utskrift",
           "e-post", "annons", "sponsr", "nästa", "föregående", "svar", "författare",
           "nyhetsbrev", "flöde", "integritet", "logga in", "sök", "meny", "godkänn",
           "acceptera", "publicer", "uppdater", "redigera", "sammanfattning"],
    "ja": ["コメント", "写真", "画像", "ソース", "出典", "共有", "リンク", "購読", "クッキー",
           "cookie", "評価", "投票", "読み", "タグ", "カテゴリ", "印刷", "メール", "広告",
           "スポンサー", "次の", "前の", "返信", "著者", "作者", "ニュースレター", "フィード",
           "プライバシー", "ログイン", "検索", "ホーム", "メニュー", "同意", "公開", "更新",
           "編集", "要約"],
    "zh": ["评论", "照片", "图片", "图像", "来源", "源代码", "分享", "共享", "链接", "订阅",
           "cookie", "评分", "投票", "阅读", "标签", "分类", "类别", "打印", "邮件", "广告",
           "赞助", "下一", "上一", "回复", "作者", "新闻", "隐私", "登录", "搜索", "主页", "菜单",
           "同意", "接受", "发布", "更新", "编辑", "摘要"],
    "ko": ["댓글", "사진", "이미지", "소스", "출처", "공유", "링크", "구독", "쿠키", "평가",
           "투표", "읽", "태그", "분류", "카테고리", "인쇄", "메일", "광고", "스폰서", "다음",
           "이전", "답장", "답글", "저자", "작성자", "뉴스레터", "피드", "개인정보", "로그인",
           "검색", "메뉴", "동의", "수락", "게시", "업데이트", "편집", "요약"],
    "id": ["komentar", "foto", "gambar", "sumber", "bagi", "berbagi", "tautan", "link",
           "langganan", "berlangganan", "cookie", "kuki", "nilai", "peringkat", "suara", "baca",
           "tag", "label", "kategori", "cetak", "surel", "email", "iklan", "sponsor", "berikut",
           "sebelum", "balas", "penulis", "pengarang", "buletin", "umpan", "feed", "privasi",
           "masuk", "cari", "pencarian", "beranda", "menu", "setuju", "terima", "terbit",
           "perbarui", "sunting", "ringkasan"],
    "cs": ["komentář", "fotografi", "foto", "obrázek", "zdroj", "sdíl", "odkaz", "odběr",
           "cookie", "hodnocen", "hlas", "číst", "štítek", "značk", "kategori", "tisk", "e-mail",
           "pošt", "reklam", "sponzor", "další", "předchozí", "odpověď", "autor", "zpravodaj",
           "kanál", "soukrom", "přihlás", "hledat", "vyhledáv", "nabídk", "menu", "souhlas",
           "přijmout", "publik", "aktualiz", "upravit", "shrnutí"],
    "ca": ["comentari", "foto", "imatge", "font", "compart", "enllaç", "subscri", "galet",
           "cookie", "valora", "vot", "llegi", "etiquet", "categori", "imprim", "correu",
           "publicitat", "anunci", "patrocin", "següent", "anterior", "respost", "autor",
           "butlletí", "canal", "privadesa", "cerca", "inici", "menú", "accept", "publica",
           "actualitz", "edita", "resum"],
    "nb": ["kommentar", "foto", "bilde", "kilde", "dele", "deling", "lenke", "abonn",
           "informasjonskaps", "cookie", "vurder", "stemm", "lese", "etikett", "merkelapp",
           "kategori", "skriv ut", "utskrift", "e-post", "reklame", "annonse", "sponset", "neste",
           "forrige", "svar", "forfatter", "nyhetsbrev", "personvern", "logg inn", "søk", "meny",
           "godta", "aksepter", "publiser", "oppdater", "rediger", "sammendrag"],
}  # fmt: skip

# Fillers for {x}: people for bylines and comment forms, sites for footers and feed headers.
# Hand-written, invented names and example domains.
NAMES = [
    "Maria Silva", "Jan Novák", "Li Wei", "Kim Min-jun", "Sato Yuki", "Anna Ivanova",
    "Mehmet Yılmaz", "Budi Santoso", "Emma Johansson", "Luca Rossi", "Pierre Martin",
    "Sophie de Vries", "Piotr Kowalski", "Carlos García", "Hans Becker", "John Smith",
]  # fmt: skip
SITES = ["example.com", "news.example.org", "www.example.net", "blog.example.com"]

HEADER = ["navigation", "feed_header", "byline", "ads"]
AFTER_FIRST = ["share", "toolbar"]
MIDDLE = ["captions", "related", "ads"]
TRAILER = ["tags", "share", "ratings", "newsletter", "related", "source_footer", "comments",
           "navigation", "consent"]  # fmt: skip
BLOCK_SIZE = {"comments": (2, 6), "share": (1, 4), "navigation": (1, 3), "related": (1, 3)}


def load_catalog(lang: str) -> dict[str, list[tuple[str, str, str]]]:
    """family -> [(text, source, split)] for one language (plus ``mul`` agency names)."""
    catalog: dict[str, list[tuple[str, str, str]]] = {}
    for path in sorted(CATALOG.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
        catalog[path.stem] = [
            (r["text"], r["source"], r["split"]) for r in rows if r["lang"] == lang
        ]
    with (CATALOG / "captions.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    catalog["agencies"] = [(r["text"], r["source"], r["split"]) for r in rows if r["lang"] == "mul"]
    return catalog


def triggers_in(text: str, lang: str) -> bool:
    """True when ``text`` contains one of the language's widget trigger words.

    >>> triggers_in("Leave your comments below", "en"), triggers_in("Nothing here", "en")
    (True, False)
    """
    lowered = text.lower()
    for word in TRIGGERS.get(lang, []):
        if lang in CJK:
            if word in lowered:
                return True
        elif re.search(r"(?<!\w)" + re.escape(word), lowered):
            return True
    return False


def render(text: str, family: str, rng: random.Random, pool: dict[str, list[str]]) -> str:
    """Fill the catalog placeholders as a page would."""

    def fill_x(_: re.Match[str]) -> str:
        if family in {"captions"}:
            return rng.choice(pool["agencies"])
        if family in {"source_footer", "feed_header"}:
            return rng.choice(pool["agencies"] + SITES)
        if family in {"byline", "comments"} and rng.random() < 0.6:
            return rng.choice(NAMES)
        if family == "byline":
            return f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2015, 2024)}"
        if family == "ratings":
            return f"{rng.randint(10, 50) / 10:.1f}"
        return rng.choice(pool["titles"])

    text = re.sub(r"\{n\}(?=\s?%)", lambda _: str(rng.randint(5, 95)), text)
    text = re.sub(r"\{n\}", lambda _: str(rng.randint(2, 240)), text)
    return re.sub(r"\{x\}", fill_x, text)


class Builder:
    """Plants boilerplate around real paragraphs for one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.rng = random.Random(f"{SEED}-{lang}")
        data = json.loads((SOURCES / f"{lang}.json").read_text(encoding="utf-8"))
        self.sources: dict[str, str] = data["sources"]
        self.paragraphs: list[list[str]] = data["paragraphs"][:CONTENT_PER_LANG]
        self.catalog = load_catalog(lang)
        self.lookalikes = self._pick_lookalikes(data["sentences"], data["headings"])
        used = {t for t, _ in self.lookalikes}
        titles = [h for h, _ in data["headings"] if h not in used]
        self.pool = {
            "agencies": [a for a, _, _ in self.catalog["agencies"]],
            "titles": titles or [p[0][:60] for p in self.paragraphs[:20]],
        }

    def _pick_lookalikes(
        self, sentences: list[list[str]], headings: list[list[str]]
    ) -> list[tuple[str, str]]:
        boilerplate = {t for rows in self.catalog.values() for t, _, _ in rows}
        limit = 160 if self.lang in CJK else 260
        with_trigger = [
            (t, s)
            for t, s in sentences
            if len(t) <= limit and triggers_in(t, self.lang) and t not in boilerplate
        ]
        heads = [(t, s) for t, s in headings if t not in boilerplate]
        trigger_heads = [h for h in heads if triggers_in(h[0], self.lang)]
        plain_heads = [h for h in heads if not triggers_in(h[0], self.lang)]
        chosen = with_trigger[:40] + trigger_heads[:20]
        for extra in (with_trigger[40:], trigger_heads[20:], plain_heads):
            chosen += extra[: max(0, LOOKALIKES_PER_LANG - len(chosen))]
        return chosen[:LOOKALIKES_PER_LANG]

    def source(self, sid: str) -> str:
        """Short source name of a pool item, e.g. ``debian-handbook 11.20220922 (de-DE)``."""
        return self.sources[sid].split(",")[0]

    def line(self, text: str, label: str, source: str, family: str | None = None,
             split: str | None = None) -> dict[str, object]:  # fmt: skip
        return {"text": text, "label": label, "family": family, "split": split, "source": source}

    def block(self, family: str) -> list[dict[str, object]]:
        rows = self.catalog.get(family) or []
        if not rows:
            return []
        low, high = BLOCK_SIZE.get(family, (1, 2))
        picks = self.rng.sample(rows, min(len(rows), self.rng.randint(low, high)))
        out = []
        for text, source, split in picks:
            rendered = render(text, family, self.rng, self.pool)
            out.append(self.line(rendered, "boilerplate", source, family, split))
        return out

    def documents(self) -> list[dict[str, object]]:
        paragraphs = list(self.paragraphs)
        lookalikes = list(self.lookalikes)
        docs = []
        index = 0
        while paragraphs:
            count = min(len(paragraphs), self.rng.randint(5, 9))
            body, paragraphs = paragraphs[:count], paragraphs[count:]
            share = max(1, len(lookalikes) // max(1, len(paragraphs) // 7 + 1))
            looks, lookalikes = lookalikes[:share], lookalikes[share:]
            docs.append(self.document(index, body, looks))
            index += 1
        return docs

    def document(
        self, index: int, body: list[list[str]], looks: list[tuple[str, str]]
    ) -> dict[str, object]:
        rng = self.rng
        blocks: list[list[dict[str, object]]] = []
        blocks.append(self.block(rng.choice(HEADER)))
        content = [[self.line(t, "content", self.source(s))] for t, s in body]
        look_blocks = [[self.line(t, "lookalike", self.source(s))] for t, s in looks]
        middle: list[list[dict[str, object]]] = [content[0]]
        middle += [self.block(rng.choice(AFTER_FIRST))]
        rest = content[1:] + look_blocks
        rng.shuffle(rest)
        half = len(rest) // 2
        middle += rest[:half]
        middle += [self.block(rng.choice(MIDDLE))]
        middle += rest[half:]
        blocks += middle
        blocks += [self.block(f) for f in rng.sample(TRAILER, rng.randint(1, 3))]
        lines: list[dict[str, object]] = []
        for block in blocks:
            if not block:
                continue
            if lines:
                lines.append(self.line("", "blank", "", None, None))
            lines.extend(block)
        return {"id": f"{self.lang}/{index:03d}", "lang": self.lang, "lines": lines}


def build(lang: str) -> list[dict[str, object]]:
    builder = Builder(lang)
    docs = builder.documents()
    # top up with extra boilerplate-only trailers until the language has enough planted lines
    count = sum(1 for d in docs for ln in d["lines"] if ln["label"] == "boilerplate")  # type: ignore[index, union-attr]
    position = 0
    while count < BOILERPLATE_LINES_MIN:
        doc = docs[position % len(docs)]
        family = builder.rng.choice(TRAILER)
        extra = builder.block(family)
        if extra:
            doc["lines"] += [builder.line("", "blank", "", None, None), *extra]  # type: ignore[operator]
            count += len(extra)
        position += 1
    return docs


def main(argv: list[str]) -> int:
    langs = argv[1:] or sorted(p.stem for p in SOURCES.glob("*.json"))
    for lang in langs:
        docs = build(lang)
        with (OUT / f"{lang}.jsonl").open("w", encoding="utf-8") as handle:
            for doc in docs:
                handle.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
        labels: dict[str, int] = {}
        for doc in docs:
            for ln in doc["lines"]:  # type: ignore[attr-defined]
                labels[ln["label"]] = labels.get(ln["label"], 0) + 1
        print(lang, len(docs), labels)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
