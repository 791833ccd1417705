-- A deleted task's dead letters stay for operators: the task's id is kept as plain data
-- (`context.deletedTaskId`) and they can no longer be replayed, so the foreign key's SET NULL
-- satisfies `dead_letters_subject`. Covers every path that deletes tasks (the task's owner, an
-- account purge's cascade).
CREATE FUNCTION retire_dead_letters_of_deleted_task() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dead_letters
       SET replayable = false,
           context = context || jsonb_build_object('deletedTaskId', OLD.id::text)
     WHERE task_id = OLD.id;
    RETURN OLD;
END
$$;

CREATE TRIGGER tasks_retire_dead_letters BEFORE DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION retire_dead_letters_of_deleted_task();
