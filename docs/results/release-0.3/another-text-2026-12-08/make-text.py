"""The text of RESULTS.md 0m: six books of the Rust documentation as plain text.

Reads the single-page (print.html) editions that rustup installs with the stable toolchain
(rustup component add rust-docs), drops code blocks, scripts, styles and navigation, keeps the
prose and inline code, and writes one UTF-8 file in this order: cargo, rustc, embedded-book,
edition-guide, nomicon, book (3,015,730 characters, sha256 41c9d866...9c09413c30, from rustc 1.95.0's docs).

    python3 make-text.py ~/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/share/doc/rust/html rustdocs.txt
"""
import html.parser
import re
import sys

BOOKS = ["cargo", "rustc", "embedded-book", "edition-guide", "nomicon", "book"]
SKIPPED = ("script", "style", "pre", "nav")
BLOCKS = ("p", "h1", "h2", "h3", "h4", "li", "div", "td", "tr")


class Prose(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.out = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skip = max(0, self.skip - 1)
        if tag in BLOCKS:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def main(html_dir, out):
    parts = []
    for book in BOOKS:
        parser = Prose()
        with open(f"{html_dir}/{book}/print.html", encoding="utf-8") as f:
            parser.feed(f.read())
        text = re.sub(r"[ \t]+", " ", "".join(parser.out))
        parts.append(re.sub(r"\n\s*\n+", "\n", text))
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(parts))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
