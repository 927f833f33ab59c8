import { main } from './program';

/** Entry of the `lotseal` command (bin/lotseal.cjs loads the built or source form of this file). */
void main(process.argv).then((code) => {
  process.exitCode = code;
});
