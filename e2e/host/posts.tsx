// Posts as the web app draws them, in the places that matter to plugins: the post root (`div.post`
// with `post_<id>` in the centre, `rhsPost_<id>` in the thread panel and the Threads view), the
// message with permalink previews, `ShowMore` collapsing with the attachment slot inside it, plain
// text without any slot when message formatting is off, and other plugins' post types without it.

import type {Client4} from '@mattermost/client';
import React, {useEffect, useState} from 'react';
import {useDispatch, useSelector} from 'react-redux';

import {MessageActions} from './menus';
import {PluginComponents} from './plugin_slot';
import type {HostPost, HostState} from './store';
import {themes} from './theme';

export type Place = 'center' | 'rhs';

const ROOT_PREFIX: Record<Place, string> = {center: 'post_', rhs: 'rhsPost_'};

/** The height above which a message is collapsed behind "Show more". */
const COLLAPSED_HEIGHT = 200;

const PERMALINK = /\/pl\/([a-z0-9]{26})\b/;

const s: Record<string, React.CSSProperties> = {
    post: {padding: '6px 0', borderBottom: '1px solid rgba(var(--center-channel-color-rgb), .08)', position: 'relative'},
    preview: {margin: '6px 0', padding: '6px 10px', border: '1px solid rgba(var(--center-channel-color-rgb), .16)', borderRadius: 4},
    custom: {padding: 8, border: '1px dashed rgba(var(--center-channel-color-rgb), .32)'},
    showMore: {background: 'none', border: 'none', color: 'var(--link-color)', cursor: 'pointer', padding: 0},
};

function useAttachmentProps(postId: string) {
    const theme = useSelector((state: HostState) => themes[state.ui.theme]);
    return {postId, theme, onHeightChange: () => undefined};
}

function AttachmentSlot({postId}: {postId: string}) {
    const items = useSelector((state: HostState) => state.slots.PostMessageAttachment ?? []);
    const props = useAttachmentProps(postId);
    return (
        <PluginComponents
            items={items}
            props={props}
        />
    );
}

/** PermalinkPreview shows a linked post inside the post that links to it, with its own attachment slot. */
function PermalinkPreview({postId, client}: {postId: string; client: Client4}) {
    const linked = useSelector((state: HostState) => state.entities.posts.posts[postId]);
    const author = useSelector((state: HostState) => (linked ? state.entities.users.profiles[linked.user_id]?.username : ''));
    const dispatch = useDispatch();
    useEffect(() => {
        if (!linked) {
            client.getPost(postId).then((p) => dispatch({type: 'host/posts', channelId: p.channel_id, posts: [p]}), () => undefined);
        }
    }, [client, dispatch, linked, postId]);
    if (!linked) {
        return null;
    }
    return (
        <div className='attachment attachment--permalink'>
            <div
                className='post-preview'
                style={s.preview}
            >
                <div><strong>{author || linked.user_id.slice(0, 8)}</strong></div>
                <div className='post-preview__message'>{linked.message}</div>
                <AttachmentSlot postId={linked.id}/>
            </div>
        </div>
    );
}

/** ShowMore collapses a tall message (and what follows it inside, the attachment slot included). */
function ShowMore({children}: {children: React.ReactNode}) {
    const ref = React.useRef<HTMLDivElement>(null);
    const [tall, setTall] = useState(false);
    const [expanded, setExpanded] = useState(false);
    useEffect(() => {
        setTall((ref.current?.scrollHeight ?? 0) > COLLAPSED_HEIGHT);
    }, [children]);
    const collapsed = tall && !expanded;
    return (
        <div className='post-message--collapsed'>
            <div
                ref={ref}
                className='post-message__content'
                style={collapsed ? {maxHeight: COLLAPSED_HEIGHT, overflow: 'hidden'} : undefined}
            >{children}</div>
            {tall && (
                <button
                    type='button'
                    style={s.showMore}
                    onClick={() => setExpanded(!expanded)}
                >{expanded ? 'Show less' : 'Show more'}</button>
            )}
        </div>
    );
}

function PostBody({post, client}: {post: HostPost; client: Client4}) {
    const formatting = useSelector((state: HostState) => state.ui.formatting);
    if (post.type && post.type.startsWith('custom_')) {
        // Another plugin's post type: its own component, no attachment slot.
        return <div style={s.custom}>{`[${post.type}] ${post.message}`}</div>;
    }
    if (!formatting) {
        return <div className='post-message__text'>{post.message}</div>;
    }
    const link = PERMALINK.exec(post.message)?.[1];
    return (
        <ShowMore>
            <div
                className='post-message__text'
                style={{whiteSpace: 'pre-wrap'}}
            >{post.message}</div>
            {link && link !== post.id && <PermalinkPreview
                postId={link}
                client={client}
            />}
            <AttachmentSlot postId={post.id}/>
        </ShowMore>
    );
}

export function PostView({post, place, client, onReply}: {post: HostPost; place: Place; client: Client4; onReply?: (rootId: string) => void}) {
    const author = useSelector((state: HostState) => state.entities.users.profiles[post.user_id]?.username ?? post.user_id.slice(0, 8));
    const replies = useSelector((state: HostState) => (place === 'center' ? Object.values(state.entities.posts.posts).filter((p) => p.root_id === post.id).length : 0));
    return (
        <div
            id={`${ROOT_PREFIX[place]}${post.id}`}
            className='post'
            style={s.post}
        >
            <div><strong>{author}</strong>{' '}<small style={{opacity: 0.76}}>{new Date(post.create_at).toLocaleTimeString()}</small></div>
            <PostBody
                post={post}
                client={client}
            />
            {replies > 0 && onReply && <button
                type='button'
                style={s.showMore}
                onClick={() => onReply(post.id)}
            >{`${replies} ${replies === 1 ? 'reply' : 'replies'}`}</button>}
            <MessageActions
                postId={post.id}
                onReply={onReply ? () => onReply(post.root_id || post.id) : undefined}
            />
        </div>
    );
}
