"""One holder at a time, on both stores; a released (or dead) holder's lock is free for the next."""

from __future__ import annotations

from bot.app import App
from storage.leadership import Leadership


async def test_one_holder_at_a_time_and_the_next_takes_over(app: App) -> None:
    schema = app.settings.database_schema
    first = Leadership(app.engine, "matrix:@bot:localhost", schema)
    second = Leadership(app.engine, "matrix:@bot:localhost", schema)
    other = Leadership(app.engine, "matrix:@other:localhost", schema)
    assert await first.try_acquire()
    assert not await second.try_acquire()
    assert await other.try_acquire()  # another account is another lock
    assert await first.still_held()
    await first.release()
    assert not first.held
    assert await second.try_acquire()
    assert not await first.try_acquire()
    await second.release()
    await other.release()
