// Vite's asset imports (`?url`) used by the browser-only modules.
/// <reference types="vite/client" />
