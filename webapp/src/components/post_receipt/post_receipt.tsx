import React, {useEffect, useLayoutEffect, useRef, useState} from 'react';
import {useSelector} from 'react-redux';

import {openReaders, requestReceipts} from '../../actions';
import {usePluginDispatch} from '../../hooks';
import type {PostAttachmentProps} from '../../mattermost';
import {
    getChannel,
    getConfig,
    getCurrentUserId,
    getPost,
    getReceiptEntry,
    mayBeTracked,
    mayBeTrackedHere,
    viewerHidesReceipts,
} from '../../selectors';
import type {GlobalState} from '../../selectors';
import {isInsideOtherPost} from '../../post_roots';
import {useTimeSettings} from '../../time';
import ReceiptIndicator from '../receipt_indicator/receipt_indicator';

const ROW: React.CSSProperties = {display: 'flex', justifyContent: 'flex-end', minHeight: 0};
const PLACEHOLDER: React.CSSProperties = {display: 'block', height: 16};

/**
 * PostReceipt fills the post attachment slot under every post: it shows the receipt of the user's own
 * tracked posts (and counts of others' posts where counts are visible to members). Reads are reported
 * from the post roots on the page (visibility.ts), not from here. In a permalink preview (the slot of
 * a linked post drawn inside another post) it shows nothing: a preview quotes a message, it is not it.
 */
export default function PostReceipt({postId, theme, onHeightChange}: PostAttachmentProps) {
    const dispatch = usePluginDispatch();
    const post = useSelector((s: GlobalState) => getPost(s, postId));
    const me = useSelector(getCurrentUserId);
    const config = useSelector(getConfig);
    const channelType = useSelector((s: GlobalState) => (post ? getChannel(s, post.channel_id)?.type : undefined));
    const entry = useSelector((s: GlobalState) => getReceiptEntry(s, postId));
    const likely = useSelector((s: GlobalState) => (post ? mayBeTrackedHere(s, post) : false));
    const hidden = useSelector(viewerHidesReceipts);
    const time = useTimeSettings();
    const anchor = useRef<HTMLSpanElement>(null);
    const [inPreview, setInPreview] = useState<boolean | null>(null);

    useLayoutEffect(() => {
        setInPreview(anchor.current ? isInsideOtherPost(anchor.current, postId) : false);
    }, [postId]);

    const eligible = post && inPreview === false ? mayBeTracked(post) : false;
    const own = Boolean(post && post.user_id === me);
    const countsForMembers = config?.counts_visible_to === 'members' && channelType !== undefined && channelType !== 'D';

    // A user who sees no one's reads (Reciprocal) is shown none, not even cached ones.
    const wanted = eligible && (own || countsForMembers) && !hidden;

    useEffect(() => {
        if (wanted && entry === undefined) {
            dispatch(requestReceipts([postId]));
        }
    }, [dispatch, wanted, entry, postId]);

    const status = entry?.status;
    useLayoutEffect(() => {
        if (anchor.current && onHeightChange) {
            onHeightChange(anchor.current.offsetHeight);
        }
    }, [status, onHeightChange]);

    let content: React.ReactNode = null;
    if (wanted && entry?.status === 'tracked') {
        const isGroup = !entry.receipt.user_id;
        content = (
            <ReceiptIndicator
                receipt={entry.receipt}
                theme={theme}
                time={time}
                onOpen={own && isGroup ? () => dispatch(openReaders(postId)) : undefined}
            />
        );
    } else if (wanted && own && likely && entry?.status === 'loading') {
        // Keep the row's height while the answer is on its way, so the post does not jump. Posts
        // that the config or the channel's settings say are not tracked get no space: nothing to collapse.
        content = <span style={PLACEHOLDER}/>;
    }

    return (
        <span
            ref={anchor}
            className='readreceipts-post'
            data-post-id={postId}
            style={content ? ROW : undefined}
        >{content}</span>
    );
}
