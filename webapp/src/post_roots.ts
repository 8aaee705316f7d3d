// Where Mattermost draws posts, read from its DOM. The web app gives each post a root element
// `div.post` whose id names the post and the place: `post_<id>` (centre channel), `rhsPost_<id>`
// (right-hand thread panel and the Threads view), `searchResult_<id>` (search, pinned and saved
// messages). Finding posts by these roots, rather than through the post attachment slot, also covers
// the posts the web app renders without that slot: message formatting off, other plugins' post types,
// shared channels without plugin support.

const ROOT_ID = /^(?:post|rhsPost|searchResult)_([a-z0-9]{26})$/;

/** ROOT_SELECTOR matches every candidate post root; postIdOfRoot keeps those with a post's id. */
export const ROOT_SELECTOR = 'div.post[id]';

/** postIdOfRoot is the id of the post whose root element this is, or '' for any other element. */
export function postIdOfRoot(el: Element): string {
    return ROOT_ID.exec(el.id)?.[1] ?? '';
}

/** PostRoot is one post drawn on the page. */
export interface PostRoot {
    element: Element;
    postId: string;
}

/** findPostRoots lists the post roots under a node. */
export function findPostRoots(root: ParentNode): PostRoot[] {
    const found: PostRoot[] = [];
    for (const element of root.querySelectorAll(ROOT_SELECTOR)) {
        const postId = postIdOfRoot(element);
        if (postId) {
            found.push({element, postId});
        }
    }
    return found;
}

/**
 * isInsideOtherPost: the element sits in the root of another post. That is where the web app draws a
 * permalink preview of a linked post (a second attachment slot, inside the outer post's root).
 */
export function isInsideOtherPost(el: Element, postId: string): boolean {
    const root = el.closest(ROOT_SELECTOR);
    const owner = root ? postIdOfRoot(root) : '';
    return owner !== '' && owner !== postId;
}

// What the web app draws over the posts: Bootstrap and our own modals, and an expanded right-hand panel.
const COVERS = '.modal.show, .modal.in, [role="dialog"][aria-modal="true"], .sidebar--right--expanded';

/** isPostAreaCovered says whether something the web app draws over its posts is open. */
export function isPostAreaCovered(doc: Document): boolean {
    return doc.querySelector(COVERS) !== null;
}
