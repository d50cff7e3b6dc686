import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BadInputError } from '../domain/errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** util.parseArgs with bad usage turned into BadInputError (exit 2) instead of a thrown TypeError. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new BadInputError(`${err instanceof Error ? err.message : String(err)}\nusage: bantin ${usage}`);
  }
}
