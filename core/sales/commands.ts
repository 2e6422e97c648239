import type { CommandSpec } from '../commands/types.js';
import { customerCommand } from './customer-command.js';
import { dealCommand } from './deal-command.js';
import { logCommand } from './log-command.js';

/** The sales desk: what reps use every day. */
export const salesCommands: CommandSpec[] = [customerCommand, dealCommand, logCommand];
