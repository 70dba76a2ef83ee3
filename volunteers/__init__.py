"""The volunteers: people and their PINs, roles and permissions, shifts, the rota, time credits and
certificates (food hygiene, first aid). Plain Python over the shop's database; no screens here."""
