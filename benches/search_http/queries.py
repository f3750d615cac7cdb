# The query mix of benches/search.rs, as /api/search parameters (compare.py and cpu.py).
Q = [
 {"q":"connectivity"}, {"q":'"meaningful connectivity"'}, {"q":'"local content" languages'},
 {"q":"governments AND (privacy OR encryption)"}, {"q":"spectrum satellite","track":"inclusion"},
 {"q":"climate","kind":"recommendation"}, {"q":"data protection","speaker":"speaker 12"},
 {"q":"cybersecurity norms","session":"ws-007"}, {"q":"the"}, {"q":"","doc":"session"},
]
