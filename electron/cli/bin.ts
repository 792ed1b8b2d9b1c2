import { processIo, runCli } from './main';

runCli(process.argv.slice(2), processIo).then((code) => {
  process.exitCode = code;
});
