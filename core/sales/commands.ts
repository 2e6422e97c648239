export const salesCommands = [] as import('../commands/types.js').CommandSpec[];
