DROP TRIGGER tasks_retire_dead_letters ON tasks;
DROP FUNCTION retire_dead_letters_of_deleted_task();
