// Process entry of `bantin`: run the command, then exit with its code even if a library left a handle open.
import { runCli } from './run.ts';

const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
process.stdout.write('', () => process.exit(code));
