// The same route behind claimguard: the Lambda wrapper over the compiled bundle (the API Gateway
// JWT authorizer has verified the token). Bundled by esbuild in bench/cold/run.js, or imported
// from lib/ with node_modules. `start()` is what runs at cold start after the imports.
import { loadBundle, withAuthorization } from '../../lib/lambda/index.js';

export let handler;

export async function start() {
  const key = process.env.CLAIMGUARD_BUNDLE_KEY;
  const authorizer = loadBundle(process.env.CLAIMGUARD_BUNDLE, key === undefined ? {} : { verificationKey: key });
  handler = withAuthorization(async (_event, _context, decision) => ({ statusCode: 200, body: decision.route }), { authorizer, log: false });
  await authorizer;
}
