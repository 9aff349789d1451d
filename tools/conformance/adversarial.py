#!/usr/bin/env python3
"""Adversarial texts for tokenizer conformance tests.

Writes JSONL, one {"name": ..., "text": ...} per line. The set is deterministic (fixed
seeds, no external data), so a committed golden made from it can be regenerated
byte for byte.

The texts aim at the places where a re-implementation of Hugging Face `tokenizers`
tends to diverge: very long pre-tokenizer pieces (BPE complexity, caches), whitespace
classes the split regexes treat differently (NBSP, U+3000, NEL, lone CR), the
case-insensitive contraction group `(?i:'s|'t|...)` (which also matches the long s
U+017F and the Kelvin sign under Unicode case folding), normalizers (NFC / NFKC
change lengths and so offsets), byte-level splits of multi-byte characters, added and
special tokens (whole, partial, adjacent), UTF-8 length boundaries, and controls.

Texts are valid Unicode strings (no lone surrogates: they cannot be encoded as UTF-8,
and the oracle's input is UTF-8).

  tools/conformance/adversarial.py -o adv.jsonl           # full set, ~15 MB, runs up to 1 MiB
  tools/conformance/adversarial.py --small -o texts.jsonl # runs capped at 2 KiB
  tools/conformance/adversarial.py --list                 # names and byte sizes only
"""

import argparse
import json
import random
import sys

MIB = 1 << 20
SMALL_RUN_CAP = 2048  # bytes: cap for runs in --small mode (committed goldens)
# In --small mode only these run to the 2 KiB cap; the others stop at 256 bytes. Runs
# of spaces, newlines, digits, CJK and emoji cost about one token per byte or character
# in some tokenizers (r50k has no multi-space tokens), and the committed goldens must
# stay small; the 1 MiB runs of the full
# set (sweep) cover their long-piece behaviour.
SMALL_CAP_FULL_RUNS = {"a"}
SMALL_RUN_CAP_OTHERS = 256
FULL_RUN_CAP = MIB

# Characters whose runs are generated up to the cap (1 MiB in the full set): one per
# code path that long pieces exercise — a letter (one regex piece), space and newline
# (whitespace pieces, metaspace), a digit (\p{N}{1,3} groups), CJK (3-byte chars, one
# piece per run in most regexes) and an emoji (4 bytes, split by byte-level BPE).
BIG_RUN_CHARS = {
    "a": "a",
    "space": " ",
    "newline": "\n",
    "digit1": "1",
    "cjk-zi": "\u5b57",  # 字
    "emoji-grin": "\U0001F600",  # 😀
}

# Further characters whose runs stay short (at most 2 KiB even in the full set; 64 KiB
# for the few marked below): they test classes, not complexity.
SMALL_RUN_CHARS = {
    "tab": "\t",
    "cr": "\r",
    "crlf": "\r\n",
    "nbsp": "\u00a0",
    "ideographic-space": "\u3000",
    "metaspace-u2581": "\u2581",  # literal ▁: metaspace tokenizers' word marker
    "dot": ".",
    "dash": "-",
    "apostrophe": "'",
    "ab": "ab",
    "a-space": "a ",
    "space-a": " a",
    "e-acute-precomposed": "\u00e9",
    "e-combining-acute": "e\u0301",
    "long-s": "\u017f",
    "zero": "0",
    "arabic-indic-digit": "\u0661",
    "fullwidth-digit": "\uff11",
    "fullwidth-A": "\uff21",
    "nul": "\x00",
    "lt": "<",
    "lt-pipe": "<|",
    "katakana-long-vowel": "\u30fc",
    "nfkc-expanding-fdfa": "\ufdfa",  # ﷺ: NFKC gives 18 code points
    "nfkc-ligature-ffi": "\ufb03",
    "max-scalar": "\U0010FFFF",
    "hangul-syllable": "\uac01",
    "hangul-jamo-lvt": "\u1100\u1161\u11a8",  # NFC composes 3 -> 1
    "arabic": "\u0645",
    "thai-sara-am": "\u0e01\u0e33",
}
LONGER_SMALL_RUNS = {"tab", "nbsp", "ab", "a-space", "metaspace-u2581"}


def run_lengths(char_bytes, cap_bytes, small):
    """Repetition counts for a run of one character of char_bytes UTF-8 bytes.

    Every count up to 9 (short-piece paths, caches), then around powers of two (2^k-1,
    2^k, 2^k+1: off-by-one in chunked or doubling buffers) and 2^k *bytes* for
    multi-byte characters, ending with exactly cap_bytes worth of the character.
    The small set keeps a sparse selection so committed goldens stay small."""
    if small:
        counts = {1, 2, 3, 4, 8, 16, 17, 64, 256}
    else:
        counts = set(range(1, 10))
        k = 4
        while (1 << k) * char_bytes <= cap_bytes:
            n = 1 << k
            counts.update((n - 1, n, n + 1) if n * char_bytes <= 4096 else (n,))
            k += 1
        k = 4
        while (1 << k) <= cap_bytes:
            counts.add((1 << k) // char_bytes)
            k += 1
    counts.add(cap_bytes // char_bytes)
    return sorted(c for c in counts if 0 < c * char_bytes <= cap_bytes)


def gen_runs(small):
    for name, ch in BIG_RUN_CHARS.items():
        cap = FULL_RUN_CAP
        if small:
            cap = SMALL_RUN_CAP if name in SMALL_CAP_FULL_RUNS else SMALL_RUN_CAP_OTHERS
        nb = len(ch.encode("utf-8"))
        for n in run_lengths(nb, cap, small):
            yield f"run/{name}/{n}", ch * n
    for name, ch in SMALL_RUN_CHARS.items():
        nb = len(ch.encode("utf-8"))
        c = SMALL_RUN_CAP if small or name not in LONGER_SMALL_RUNS else 64 * 1024
        counts = [n for n in (1, 2, 3, 4, 7, 8, 16, 17, 64, 255, 256, 1024, 4096, 16384, 65536) if n * nb <= c]
        if small:
            counts = [n for n in counts if n in (1, 2, 17)]
        for n in counts:
            yield f"run/{name}/{n}", ch * n
    # Runs embedded in text: the piece boundaries around a run matter as much as the run.
    for name, ch in (("a", "a"), ("space", " "), ("newline", "\n"), ("digit1", "1"), ("cjk-zi", "\u5b57")):
        n = 100 if small else 5000
        yield f"run-in-text/{name}/{n}", "Start " + ch * n + " end."
    yield "run-in-text/spaces-before-word", " " * 17 + "word"
    yield "run-in-text/spaces-after-word", "word" + " " * 17
    yield "run-in-text/spaces-between", "a" + " " * 17 + "b"
    yield "run-in-text/newlines-between", "a" + "\n" * 17 + "b"
    yield "run-in-text/spaces-newline-spaces", "a   \n   b"


WS = ["\t", "\n", "\r", "\r\n", " ", "  ", "\u00a0", "\u3000", "\u2009", "\u200b", "\u0085",
      "\u2028", "\u2029", "\x0b", "\x0c", "\u180e", "\ufeff", "\u1680", "\u202f", "\u205f"]


def gen_whitespace(small):
    fixed = {
        "empty": "",
        "one-space": " ",
        "one-newline": "\n",
        "one-tab": "\t",
        "lone-cr": "\r",
        "cr-in-word": "a\rb",
        "cr-cr-lf": "\r\r\n",
        "lf-cr": "\n\r",
        "mixed-line-ends": "line1\rline2\r\nline3\nline4\n\rline5",
        "trailing-cr": "text\r",
        "leading-spaces": "   leading",
        "trailing-spaces": "trailing   ",
        "trailing-newlines": "trailing\n\n\n",
        "leading-newline-space": "\n x",
        "space-newline": " \n",
        "newline-space": "\n ",
        "tabs-and-spaces": "\t \t  \tindent",
        "nbsp-between": "a\u00a0b \u00a0 c\u00a0\u00a0d",
        "ideographic-space-between": "\u65e5\u672c\u3000\u8a9e \u3000x",
        "nbsp-before-word": "\u00a0word",
        "nel": "a\u0085b",
        "line-separator": "a\u2028b\u2029c",
        "vertical-tab-form-feed": "a\x0bb\x0cc",
        "zero-width-space": "a\u200bb \u200b c",
        "bom-first": "\ufeffstart",
        "bom-middle": "mid\ufeffdle",
        "ogham-space": "a\u1680b",
        "only-whitespace-mix": " \t\n\r\u00a0\u3000\u2009\u0085 ",
        "space-before-punct": "a , b . c ! d ?",
        "double-space-sentences": "One.  Two.  Three.",
        "space-then-specialish": " <|endoftext|>",
    }
    for k, v in fixed.items():
        yield f"ws/{k}", v
    rng = random.Random(20240501)
    words = ["a", "word", "Wort", "mot", "\u5b57", "\u00e9t\u00e9", "x1", "'s", "--", "\u0645\u0631"]
    for i in range(8 if small else 120):
        parts = []
        for _ in range(rng.randint(2, 12)):
            parts.append(rng.choice(WS) * rng.randint(1, 3))
            if rng.random() < 0.6:
                parts.append(rng.choice(words))
        yield f"ws/random-mix/{i}", "".join(parts)


def gen_contractions(small):
    fixed = {
        "all-lower": "it's don't we're you've I'm we'll he'd",
        "all-upper": "IT'S DON'T WE'RE YOU'VE I'M WE'LL HE'D",
        "mixed-case": "It'S doN'T We'Re you'Ve i'M We'Ll He'D",
        "long-s": "it'\u017f the hou\u017fe'\u017f 'ſ '\u017f\u017f",
        "kelvin-k": "'\u212a 'k 'K",  # no contraction 'k, but (?i) folding paths differ
        "at-word-start": "'s 't 're 've 'm 'll 'd 'LL 'RE",
        "at-text-start": "'llama 'restart 'dog",
        "upper-at-start": "'LLAMA 'SALT",
        "alone-s": "'s",
        "alone-LL": "'LL",
        "alone-long-s": "'\u017f",
        "alone-apostrophe": "'",
        "double-apostrophe": "''s ''ll",
        "chained": "'s's'S'll're",
        "after-space": "a 's b 'll",
        "after-digit": "1990's 2's",
        "after-cjk": "\u5b57's \u5b57'll",
        "curly-apostrophe": "it\u2019s don\u2019t WE\u2019LL",
        "backtick": "it`s",
        "mark-after-apostrophe": "'\u0301s it'\u0301s",
        "rust-lifetimes": "fn f<'a, 's>(x: &'a str, y: &'s str) -> &'static str",
        "python-strings": "print('s', 'll', \"'re\")",
        "rock-n-roll": "rock'n'roll o'clock y'all",
        "turkish-dotted": "'\u0130 '\u0131 \u0130STANBUL'LU",
        "nbsp-before": "a\u00a0's",
    }
    for k, v in fixed.items():
        yield f"contraction/{k}", v


def gen_emoji(small):
    fixed = {
        "family-zwj": "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466",
        "rainbow-flag": "\U0001F3F3\ufe0f\u200d\U0001F308",
        "skin-tones": "\U0001F44D\U0001F3FB\U0001F44D\U0001F3FC\U0001F44D\U0001F3FD\U0001F44D\U0001F3FE\U0001F44D\U0001F3FF",
        "couple-skin-zwj": "\U0001F9D1\U0001F3FF\u200d\U0001F91D\u200d\U0001F9D1\U0001F3FB",
        "flags": "\U0001F1E9\U0001F1EA\U0001F1EF\U0001F1F5\U0001F1FA\U0001F1F8",
        "keycap": "1\ufe0f\u20e3 #\ufe0f\u20e3",
        "variation-selectors": "\u263a\ufe0f \u263a\ufe0e \u2764\ufe0f",
        "tag-sequence-scotland": "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F",
        "lone-zwj": "a\u200db \u200d",
        "lone-skin-tone": "\U0001F3FD",
        "emoji-in-text": "Great job \U0001F44D\U0001F3FD! See you \U0001F642 tomorrow\U0001F389\U0001F389",
        "emoji-word-glue": "hello\U0001F600world",
        "emoji-with-space-runs": "  \U0001F600  \U0001F600\n\U0001F600",
        "emoji-mixed-sequence": "\U0001F600\U0001F601\U0001F602\U0001F923\U0001F603\U0001F604\U0001F605",
        "zwj-chain-long": "\u200d".join(["\U0001F468"] * 20),
    }
    for k, v in fixed.items():
        yield f"emoji/{k}", v


def gen_marks(small):
    fixed = {
        "e-acute-decomposed": "caf\u0065\u0301 cafe\u0301s",
        "e-acute-precomposed": "caf\u00e9",
        "stacked": "e\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308",
        "zalgo": "".join(c + "\u0336\u0334\u0335\u0337\u0310\u0352\u035b" for c in "zalgo text"),
        "non-canonical-order": "a\u0307\u0323 a\u0323\u0307",  # NFC reorders by combining class
        "angstrom-sign": "\u212b A\u030a \u00c5",
        "mark-at-start": "\u0301abc",
        "mark-after-space": "a \u0301b",
        "mark-after-digit": "1\u0301 2\u0308",
        "mark-alone": "\u0301",
        "marks-run": "\u0301" * 40,
        "hangul-jamo-lv-lvt": "\u1100\u1161 \u1100\u1161\u11a8 \u1112\u1161\u11ab\u1100\u1173\u11af",
        "hangul-precomposed": "\ud55c\uae00 \uac01",
        "hangul-compat-jamo": "\u3131\u314f \u314e\u314f\u3134",
        "hangul-half-composed": "\uac00\u11a8",  # LV syllable + T jamo composes under NFC
        "devanagari": "\u0915\u094d\u0937\u093f \u0928\u092e\u0938\u094d\u0924\u0947",
        "thai": "\u0e01\u0e33 \u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22",
        "vietnamese-decomposed": "Tie\u0302\u0301ng Vie\u0323\u0302t",
        "vietnamese-precomposed": "Ti\u1ebfng Vi\u1ec7t",
        "halfwidth-katakana": "\uff76\uff9e\uff77\uff9e \uff8a\uff9f",  # NFKC merges into 1 char each
        "nfkc-expanders": "\ufdfa \ufb03 \u3392 \u33ff \u2474 \u00bd \u2163",
        "math-alnum": "\U0001D400\U0001D401\U0001D402 \U0001D7CE\U0001D7CF",
        "superscripts": "x\u00b2 + y\u00b3 = z\u207f",
        "cjk-compat-ideograph": "\uf900\uf901\uf902",  # NFC maps to unified ideographs
        "greek-final-sigma": "\u039f\u0394\u03a5\u03a3\u03a3\u0395\u03a5\u03a3 \u1f08\u03c3\u03c2",
        "german-sharp-s": "Stra\u00dfe STRA\u1e9eE",
        "soft-hyphen": "hyph\u00adenation",
    }
    for k, v in fixed.items():
        yield f"marks/{k}", v


def gen_scripts(small):
    fixed = {
        "chinese": "\u6211\u4eec\u4e00\u8d77\u53bb\u5317\u4eac\u5427\u3002\u4eca\u5929\u5929\u6c14\u5f88\u597d\uff0c\u5bf9\u5417\uff1f",
        "japanese": "\u6771\u4eac\u30bf\u30ef\u30fc\u306f\u3068\u3066\u3082\u9ad8\u3044\u3067\u3059\u3002\u30b3\u30fc\u30d2\u30fc\u30fc\u3092\u98f2\u307f\u307e\u3057\u3087\u3046\uff01",
        "korean": "\ub300\ud55c\ubbfc\uad6d\uc758 \uc218\ub3c4\ub294 \uc11c\uc6b8\uc785\ub2c8\ub2e4.",
        "cjk-ext-b": "\U00020000\U00020001\U0002A6D6 \U00020BB7\u91ce\u5bb6",
        "cjk-punct": "\u300c\u5f15\u7528\u300d\u3001\u300e\u4e8c\u91cd\u300f\u3002\uff08\u62ec\u5f27\uff09",
        "cjk-ascii-mix": "\u6771\u4eacTokyo2024\u5e74\u306eOlympics\u3067\u3059",
        "arabic-harakat": "\u0645\u064e\u0631\u0652\u062d\u064e\u0628\u064b\u0627 \u0628\u0650\u0643\u064f\u0645\u0652",
        "arabic-tatweel": "\u0639\u0640\u0640\u0640\u0631\u0628\u064a",
        "arabic-presentation": "\ufefb \ufe8d\ufee0\ufecc\ufeae\ufe91\ufef4\ufe94",
        "arabic-mixed-ltr": "abc \u0645\u0631\u062d\u0628\u0627 123 def",
        "hebrew-niqqud": "\u05e9\u05c1\u05b8\u05dc\u05d5\u05b9\u05dd \u05e2\u05d5\u05b9\u05dc\u05b8\u05dd",
        "bidi-marks": "a\u200fb\u200ec \u202eevil\u202c \u2066iso\u2069",
        "cyrillic": "\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440! \u0401\u043b\u043a\u0430",
        "mixed-script-word": "abc\u0430\u0431\u0432\u03b1\u03b2\u03b3",
        "georgian-armenian": "\u10e5\u10d0\u10e0\u10d7\u10e3\u10da\u10d8 \u0570\u0561\u0575\u0565\u0580\u0565\u0576",
        "ethiopic": "\u12a0\u121b\u122d\u129b",
        "braille-box": "\u2801\u2803\u2809 \u250c\u2500\u2510\u2502\u2514\u2500\u2518",
    }
    for k, v in fixed.items():
        yield f"script/{k}", v


def gen_digits(small):
    for n in range(1, 21):
        yield f"digits/run-{n}", "12345678901234567890"[:n]
    for n in (1, 2, 3, 4, 5, 6, 7):
        yield f"digits/in-text-{n}", f"x{'9' * n}y {'7' * n}."
    fixed = {
        "pi": "3.14159265358979",
        "thousands": "1,000,000 and 1 000 000 and 1.000.000",
        "negative-exponent": "-42 +17 1e10 6.02e-23 0x1F 0b1010",
        "arabic-indic": "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660",
        "extended-arabic-indic": "\u06f1\u06f2\u06f3\u06f4",
        "devanagari-digits": "\u0967\u0968\u0969",
        "fullwidth": "\uff11\uff12\uff13\uff14\uff15",
        "superscript-digits": "\u00b2\u00b3\u00b9",
        "fractions": "\u00bd \u2153 \u00be",
        "roman-numerals": "\u216b \u2160\u2161\u2162",
        "circled": "\u2460\u2461\u2462",
        "letters-and-digits": "a1b22c333d4444e55555",
        "spaced-digits": "1 2 3 4 5",
        "date-time": "2024-05-01T12:34:56Z",
        "ip-version": "192.168.0.1 v1.2.3-rc4",
        "mixed-digit-scripts": "1\u0661\uff11\u0967",
    }
    for k, v in fixed.items():
        yield f"digits/{k}", v


# Special and added tokens of the shipped tokenizers (written out here so that the set
# does not depend on $TOKGRAFT_DATA).
SPECIAL_STRINGS = [
    "<|endoftext|>", "<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<|start_header_id|>",
    "<|end_header_id|>", "<|reserved_special_token_0|>", "<|im_start|>", "<|im_end|>",
    "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|endofprompt|>", "<|startoftext|>",
    "<|return|>", "<|channel|>", "<|message|>", "<|start|>", "<|end|>", "<s>", "</s>", "<unk>",
    "<pad>", "<bos>", "<eos>", "<mask>", "<unused0>", "<unused99>", "[multimodal]", "[@BOS@]",
    "<2mass>", "<EOT>", "<META>", "<SOS>", "<think>", "</think>", "<tool_call>",
    "<\uff5cbegin\u2581of\u2581sentence\uff5c>", "<\uff5cend\u2581of\u2581sentence\uff5c>",
    "<\uff5cUser\uff5c>", "<|EOT|>", "<table>", "</td>",
]


# In --small mode only these appear inside text too (the rest only alone).
SMALL_IN_TEXT_SPECIALS = {"<|endoftext|>", "<|begin_of_text|>", "<|im_start|>", "<|endofprompt|>",
                          "<|return|>", "<s>", "</s>", "<unk>", "<bos>", "<eos>", "<mask>", "<unused0>",
                          "<EOT>", "<think>", "<\uff5cbegin\u2581of\u2581sentence\uff5c>", "<table>"}


def gen_specials(small):
    for s in SPECIAL_STRINGS:
        yield f"special/alone/{s}", s
        if not small or s in SMALL_IN_TEXT_SPECIALS:
            yield f"special/in-text/{s}", f"Hello{s}world {s} end"
        if not small:
            yield f"special/doubled/{s}", s + s + " " + s + "\n" + s
    fixed = {
        "chat-template": "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi!<|im_end|>\n",
        "llama3-header": "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>",
        "partial-endof": "<|endof",
        "partial-no-close": "<|endoftext",
        "partial-no-gt": "<|endoftext|",
        "partial-no-lt": "|endoftext|>",
        "wrapped": "<<|endoftext|>>",
        "nested": "<|end<|endoftext|>oftext|>",
        "case-variant": "<|ENDOFTEXT|> <S> <BOS>",
        "with-inner-space": "<| endoftext |> < s >",
        "s-tag-words": "<s>Hello</s> <s> spaced </s>",
        "special-then-space-run": "<s>    x",
        "special-between-newlines": "\n<|endoftext|>\n",
        "special-prefix-overlap": "<|im_start|><|im_start|im_end|>",
        "metaspace-literal": "\u2581\u2581\u2581 a\u2581b \u2581",
        "tab-runs-added": "\t\t\tx\t\t\t\t\ty",
        "html-added": "<table><tr><td>x</td></tr></table><h1>T</h1>",
        "newline-runs-added": "a\n\n\n\n\nb\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\nc",
        "deepseek-fullwidth-bar": "<\uff5cUser\uff5c>hi<\uff5cAssistant\uff5c>",
    }
    for k, v in fixed.items():
        yield f"special/{k}", v


def gen_codepoints(small):
    # Neighbours of the surrogate range and UTF-8 length boundaries.
    points = {
        "U+007F": "\x7f", "U+0080": "\x80", "U+07FF": "\u07ff", "U+0800": "\u0800",
        "U+D7FF": "\ud7ff", "U+E000": "\ue000", "U+F8FF": "\uf8ff", "U+FFFD": "\ufffd",
        "U+FFFE": "\ufffe", "U+FFFF": "\uffff", "U+10000": "\U00010000", "U+F0000": "\U000F0000",
        "U+10FFFF": "\U0010FFFF",
    }
    for k, ch in points.items():
        yield f"codepoint/{k}/alone", ch
        yield f"codepoint/{k}/in-text", f"a{ch}b {ch}{ch} c{ch}"
    yield "codepoint/all-boundaries", "".join(points.values())
    yield "codepoint/replacement-in-word", "invalid\ufffd\ufffdbytes"
    # Controls: NUL and the rest of C0, DEL, C1.
    yield "control/nul-alone", "\x00"
    yield "control/nul-in-text", "a\x00b \x00 c\x00\x00"
    yield "control/nul-run", "\x00" * 5
    yield "control/c0-all", "".join(chr(c) for c in range(0x00, 0x20))
    yield "control/c0-between-words", " ".join(f"w{chr(c)}x" for c in range(0x00, 0x20))
    yield "control/del-c1", "a\x7fb" + "".join(chr(c) for c in range(0x80, 0xA0))
    yield "control/record-separator", "doc1\n\x1e\ndoc2"  # the corpus' document separator
    yield "control/escape-seq", "\x1b[31mred\x1b[0m"
    yield "control/format-chars", "a\u2060b\u200cc\u200dd\u00ade\u034fg"
    yield "control/private-use", "\ue000\ue001\U000F0000\U00100000"
    yield "control/noncharacters", "\ufdd0\ufdef\U0001FFFE\U0001FFFF"


def gen_long_words(small):
    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for n in ((120,) if small else (300, 2000, 65536)):
        yield f"longword/random-letters/{n}", "".join(rng.choice(letters) for _ in range(n))
    yield "longword/lowercase-100", "".join(rng.choice(letters[:26]) for _ in range(100))
    yield "longword/pneumono", "Pneumonoultramicroscopicsilicovolcanoconiosis"
    yield "longword/german", "Donaudampfschifffahrtselektrizit\u00e4tenhauptbetriebswerkbauunterbeamtengesellschaft"
    yield "longword/finnish", "lentokonesuihkuturbiinimoottoriapumekaanikkoaliupseerioppilas"
    yield "longword/base64", "".join(rng.choice(letters + "0123456789+/") for _ in range(120)) + "=="
    yield "longword/hex", "".join(rng.choice("0123456789abcdef") for _ in range(128))
    yield "longword/camel", "ThisIsAVeryLongCamelCaseIdentifierWithHTTPServerAndXMLParser2Go"
    yield "longword/snake", "this_is_a_very_long_snake_case_identifier_with_numbers_123_456"
    yield "longword/cyrillic", "\u0447\u0435\u043b\u043e\u0432\u0435\u043a\u043e\u043d\u0435\u043d\u0430\u0432\u0438\u0441\u0442\u043d\u0438\u0447\u0435\u0441\u0442\u0432\u043e" * 3
    yield "longword/accented-run", "\u00e9\u00e8\u00ea\u00eb" * 12
    n = 100 if small else 100000
    yield f"longword/a-space-repeat/{n}", "a " * n
    yield f"longword/word-space-repeat/{n // 4}", "word " * (n // 4)


def gen_urls_code(small):
    fixed = {
        "url-query": "https://example.com/path/to/page?q=1&r=%20x#frag-ment",
        "url-idn": "http://\u4f8b\u3048.\u30c6\u30b9\u30c8/\u30d1\u30b9?\u30af\u30a8\u30ea=\u5024",
        "url-in-prose": "See https://docs.python.org/3/library/re.html, or www.example.org.",
        "email": "john.doe+tag@example.co.uk",
        "windows-path": "C:\\Users\\Admin\\AppData\\Local\\Temp\\file.txt",
        "unix-path": "/usr/lib/x86_64-linux-gnu/libc.so.6",
        "python": "def f(x):\n    \"\"\"Doc.\"\"\"\n    if x >= 10:\n        return x ** 2  # square\n\treturn None\n",
        "c": "#include <stdio.h>\nint main(void) {\n\tprintf(\"%d\\n\", 42);\n\treturn 0;\n}\n",
        "json": '{"key": [1, 2.5, true, null], "s": "a\\"b\\\\c\\u00e9"}',
        "minified-js": "function a(b,c){return b&&c?b+c:void 0}var d=a(1,2);console.log(d);",
        "makefile": "all: build\n\nbuild:\n\t$(CC) -o $@ $^ $(CFLAGS)\n",
        "shell-heredoc": "cat <<'EOF' >out.txt\n  $HOME ${x:-y} $(date)\nEOF\n",
        "regex": r"^(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]+)@\w+\.\w{2,}$",
        "operators": "a<=b>=c!=d==e&&f||g<<h>>i->j=>k::l...m",
        "html": "<div class=\"x\"><p>Hello &amp; welcome&nbsp;</p><br/></div>",
        "markdown": "# Title\n\n* item **bold** _it_ `code`\n\n```py\nprint(1)\n```\n",
        "indent-mixed": "\tif x:\n\t    y = 1\n    \tz = 2\n",
        "trailing-ws-code": "x = 1    \ny = 2\t\n",
        "repeated-punct": "!!!??? ... ---- ==== **** ////",
    }
    for k, v in fixed.items():
        yield f"code/{k}", v


GENERATORS = [gen_runs, gen_whitespace, gen_contractions, gen_emoji, gen_marks, gen_scripts,
              gen_digits, gen_specials, gen_codepoints, gen_long_words, gen_urls_code]


def adversarial_texts(small=False):
    """List of (name, text); names are unique; texts are valid Unicode scalar strings."""
    out, seen = [], set()
    for gen in GENERATORS:
        for name, text in gen(small):
            if name in seen:
                raise AssertionError(f"duplicate name {name}")
            if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
                raise AssertionError(f"{name}: lone surrogate (not encodable as UTF-8)")
            seen.add(name)
            out.append((name, text))
    return out


# Characters that Python's str.splitlines() and some other line readers treat as line
# breaks although JSON allows them raw. Escape them so a JSONL file is one record per
# line for every reader. (C0 controls are always escaped by json.dumps.)
_UNSAFE = {c: "\\u%04x" % c for c in list(range(0x7F, 0xA0)) + [0x2028, 0x2029]}


def json_line(obj):
    """Compact JSON, UTF-8 text kept readable, line-break-like characters escaped."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).translate(_UNSAFE)


def write_jsonl(path, records):
    """Write records as JSONL to path ("-" = stdout), always UTF-8 with LF line ends."""
    f = open(1 if path == "-" else path, "w", encoding="utf-8", newline="\n", closefd=path != "-")
    with f:
        for r in records:
            f.write(json_line(r) + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--output", default="-", help="output JSONL file (default stdout)")
    ap.add_argument("--small", action="store_true", help="reduced set: no 1 MiB runs, runs capped at 2 KiB")
    ap.add_argument("--list", action="store_true", help="print name and UTF-8 size per text instead")
    args = ap.parse_args(argv)
    texts = adversarial_texts(args.small)
    if args.list:
        total = 0
        for name, text in texts:
            n = len(text.encode("utf-8"))
            total += n
            print(f"{n:9d}  {name}")
        print(f"{total:9d}  total ({len(texts)} texts)")
        return 0
    try:
        write_jsonl(args.output, ({"name": n, "text": t} for n, t in texts))
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
