"""Pure rules of the Licheng measures (济历城政发〔2025〕1号).

Nothing here touches the ORM, a request or the settings, so every rule can be
called from services, tasks and admin code alike and tested without a database:

- ``periods``: statutory periods and the holiday calendar (Art. 15, 16, 17, 19);
- ``articles``: the items of Art. 9-12 parsed from the policy text, determination
  outcomes and the check of their basis (Art. 9-12, 18);
- ``stages``: the six stages of the procedure and their transition guards
  (Art. 14-20);
- ``risk``: recurring error types in one field or agency (Art. 21).
"""
