// Entry point: /ops is the operations view for supervisors, every other path the designer; each loads only its own
// code. The style sheets load here, in this order, for both (React Flow's first, so the designer's override it).
import '@xyflow/react/dist/style.css';
import './styles.css';

const ops = /^\/ops\/?$/.test(location.pathname);
void (ops ? import('./ops/boot.tsx') : import('./boot-designer.tsx')).then((m) => m.boot());
