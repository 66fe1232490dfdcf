"""Victim pages: register, search and show a victim (`pages`), edit it (`edit`) and list
its records with their actions (`records`). app.web.router includes each module's router."""
