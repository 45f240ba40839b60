// The web program type-checks the server files its API types come from; those rely on the type augmentations of
// the Fastify plugins the server registers in src/server/app.ts (not part of this program), so load them here.
import '@fastify/cookie';
import '@fastify/multipart';
