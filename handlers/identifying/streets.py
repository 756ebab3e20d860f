"""The endings of Dutch street names: an address is such a word with a house number, and a name ending in one
before a number is an address, not a person."""

STREET_SUFFIX = (
    "straat|laan|weg|plein|gracht|kade|singel|dijk|steeg|pad|hof|dreef|plantsoen|markt|wal|burgwal|baan|ring|"
    "park|erf|akker|veld|hoek|kamp|haven|boulevard|allee"
)
