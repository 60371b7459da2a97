/**
 * The prebuilt Service Worker shipped as `dist/patron-sw.js`: the Patron API under `/patron` with
 * the default database. Copy it next to your pages when you do not bundle a worker of your own.
 */
import { type ServiceWorkerScope, servePatron } from "./service-worker.js";

servePatron(self as unknown as ServiceWorkerScope);
