"""The words of Dutch dates as people type them: weekdays and months with their abbreviations, numbers spoken as
words, parts of the day (with the hour each stands for), and the words around a date that carry none."""

from __future__ import annotations

from datetime import time

WEEKDAYS = {
    "maandag": 0, "ma": 0, "dinsdag": 1, "di": 1, "woensdag": 2, "wo": 2, "donderdag": 3, "do": 3,
    "vrijdag": 4, "vr": 4, "zaterdag": 5, "za": 5, "zondag": 6, "zo": 6,
}  # fmt: skip
MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "mar": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8, "september": 9, "sep": 9,
    "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
NUMBER_WORDS = {
    "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9,
    "tien": 10, "elf": 11, "twaalf": 12,
}  # fmt: skip
PART_OF_DAY = {"ochtend": time(9), "morgens": time(9), "middag": time(14), "middags": time(14),
               "avond": time(19), "avonds": time(19)}  # fmt: skip
# Words that carry no date ('uitstel tot volgende week dinsdag', as the reminder suggests, is read as the date).
FILLER = {"op", "om", "uiterlijk", "tot", "rond", "de", "het", "s", "aanstaande", "komende", "deze", "a.s", "as",
          "uitstel", "met", "t/m", "tm"}  # fmt: skip
