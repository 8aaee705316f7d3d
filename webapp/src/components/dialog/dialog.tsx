import React, {useEffect, useLayoutEffect, useRef} from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

const styles: Record<string, React.CSSProperties> = {
    backdrop: {position: 'fixed', inset: 0, background: 'rgba(0, 0, 0, 0.5)', display: 'flex', alignItems: 'center', justifyContent: 'center', zIndex: 1050},
    dialog: {
        background: 'var(--center-channel-bg, #fff)', color: 'var(--center-channel-color, #3f4350)', borderRadius: 8,
        maxWidth: '90vw', boxShadow: '0 20px 32px rgba(0, 0, 0, 0.12)', display: 'flex', flexDirection: 'column',
    },
};

export interface DialogProps {
    label: string;
    className?: string;
    width: number;
    onClose: () => void;

    /** The element to focus first; else the first focusable element. */
    initialFocus?: React.RefObject<HTMLElement>;
    children: React.ReactNode;
}

function focusables(root: HTMLElement): HTMLElement[] {
    return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hasAttribute('hidden'));
}

/** trapTab keeps Tab and Shift+Tab inside the dialog, wrapping at either end. */
function trapTab(root: HTMLElement, e: KeyboardEvent): void {
    const items = focusables(root);
    if (items.length === 0) {
        e.preventDefault();
        root.focus();
        return;
    }
    const first = items[0];
    const last = items[items.length - 1];
    const active = root.ownerDocument.activeElement;
    if (e.shiftKey && (active === first || !root.contains(active))) {
        e.preventDefault();
        last.focus();
    } else if (!e.shiftKey && (active === last || !root.contains(active))) {
        e.preventDefault();
        first.focus();
    }
}

/**
 * Dialog is a modal dialog: it takes the focus when it opens, keeps it inside while open, gives it
 * back to where it was when it closes, and handles Escape itself, so that the web app's own Escape
 * handlers (which close the right-hand panel, for one) do not also act on it.
 */
export default function Dialog({label, className, width, onClose, initialFocus, children}: DialogProps) {
    const ref = useRef<HTMLDivElement>(null);
    const close = useRef(onClose);
    close.current = onClose;

    useLayoutEffect(() => {
        const root = ref.current;
        const opener = root?.ownerDocument.activeElement as HTMLElement | null;
        (initialFocus?.current ?? (root ? focusables(root)[0] : undefined) ?? root)?.focus();
        return () => {
            if (opener && opener.isConnected) {
                opener.focus();
            }
        };
    }, []); // eslint-disable-line react-hooks/exhaustive-deps

    useEffect(() => {
        const root = ref.current;
        if (!root) {
            return undefined;
        }
        // Listening on the window in the capture phase, the dialog hears its keys before anything
        // else on the page, wherever the focus is (it may have been lost to the page's body).
        const win = root.ownerDocument.defaultView ?? window;
        const onKey = (e: KeyboardEvent) => {
            if (e.key === 'Escape') {
                e.preventDefault();
                e.stopPropagation();
                close.current();
            } else if (e.key === 'Tab') {
                trapTab(root, e);
            }
        };
        win.addEventListener('keydown', onKey, true);
        return () => win.removeEventListener('keydown', onKey, true);
    }, []);

    return (
        <div
            style={styles.backdrop}
            onClick={(e) => {
                if (e.target === e.currentTarget) {
                    onClose();
                }
            }}
        >
            <div
                ref={ref}
                role='dialog'
                aria-modal='true'
                aria-label={label}
                tabIndex={-1}
                className={className}
                style={{...styles.dialog, width}}
            >{children}</div>
        </div>
    );
}
